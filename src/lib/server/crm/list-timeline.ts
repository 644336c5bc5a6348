/** A customer's activity timeline, newest first, paged with an opaque keyset cursor. */
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { activities } from '../db/schema/crm';
import { badRequest } from '../errors';
import { loadCallbackViews } from '../callbacks/callback-view';
import { loadCallDetails } from '../calls/call-details';
import { ZCustomerId, parseOrThrow } from './customer-input';
import { toActivityView, type TimelinePage } from './customer-view';

export const TIMELINE_PAGE_SIZE = 50;
export const MAX_TIMELINE_PAGE_SIZE = 200;

export interface ListTimelineInput {
	customerId: string;
	/** Default 50, at most 200. */
	limit?: number;
	/** `nextCursor` from the previous page. */
	before?: string | null;
}

const encodeCursor = (occurredAt: Date, id: string) => Buffer.from(`${occurredAt.toISOString()}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
	const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
	const occurredAt = new Date(iso ?? '');
	if (!id || Number.isNaN(occurredAt.getTime())) {
		throw badRequest('INVALID_CURSOR', 'That timeline page link is not valid; reload the customer to start again.');
	}
	return { occurredAt, id };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The archive row an activity is about (call activities carry `data.callId`, callbacks `data.taskId`). */
function idOf(data: Record<string, unknown>, key: 'callId' | 'taskId'): string | null {
	const id = data[key];
	return typeof id === 'string' && UUID.test(id) ? id : null;
}

/** Does not check that the customer exists: an unknown id simply has an empty timeline. */
export async function listTimeline(db: Db, input: ListTimelineInput): Promise<TimelinePage> {
	const customerId = parseOrThrow(ZCustomerId, input.customerId, 'INVALID_CUSTOMER_ID');
	const limit = Math.min(Math.max(Math.trunc(input.limit ?? TIMELINE_PAGE_SIZE), 1), MAX_TIMELINE_PAGE_SIZE);
	const cursor = input.before ? decodeCursor(input.before) : null;
	const rows = await db
		.select()
		.from(activities)
		.where(
			and(
				eq(activities.customerId, customerId),
				cursor
					? or(
							lt(activities.occurredAt, cursor.occurredAt),
							and(eq(activities.occurredAt, cursor.occurredAt), lt(activities.id, cursor.id))
						)
					: undefined
			)
		)
		.orderBy(desc(activities.occurredAt), desc(activities.id))
		.limit(limit + 1);
	const page = rows.slice(0, limit);
	const last = page.at(-1);
	const calls = page.filter((a) => a.kind !== 'callback');
	const tasks = page.filter((a) => a.kind === 'callback');
	const [details, callbacks] = await Promise.all([
		loadCallDetails(db, calls.flatMap((a) => idOf(a.data, 'callId') ?? [])),
		loadCallbackViews(db, tasks.flatMap((a) => idOf(a.data, 'taskId') ?? []))
	]);
	return {
		items: page.map((row) => {
			const view = toActivityView(row);
			if (row.kind === 'callback') return { ...view, callback: callbacks.get(idOf(row.data, 'taskId') ?? '') ?? null };
			const callId = idOf(row.data, 'callId');
			return { ...view, call: (callId && details.get(callId)) || null };
		}),
		nextCursor: rows.length > limit && last ? encodeCursor(last.occurredAt, last.id) : null
	};
}
