/**
 * Reading the archive for the inbox: threads newest first with the customer's name and the
 * caller's unread count, filters (mine, unassigned, all) and search; a thread's messages
 * paged back in time; read markers. Keyset paging throughout, on the inbox and thread indexes.
 */
import { and, desc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { customers } from '../db/schema/crm';
import { smsMessages, smsReadMarkers, smsThreads } from '../db/schema/sms';
import { roleAllows, type Role } from '$lib/roles';
import { AppError, badRequest, notFound } from '../errors';
import { toMessageView, toThreadView, type SmsMessageView, type SmsThreadView } from './message-view';

export const INBOX_FILTERS = ['mine', 'unassigned', 'all'] as const;
export const MAX_INBOX_PAGE = 100;

export const ZInboxQuery = z.object({
	filter: z.enum(INBOX_FILTERS).default('all'),
	search: z.string().trim().max(100).default(''),
	limit: z.number().int().min(1).max(MAX_INBOX_PAGE).default(50),
	cursor: z.string().max(100).optional(),
	/** Only these threads (a live inbox re-reading the ones a notice named); still filtered and searched. */
	ids: z.array(z.uuid()).max(MAX_INBOX_PAGE).optional()
});
export type InboxQuery = z.input<typeof ZInboxQuery>;

export interface InboxThread extends SmsThreadView {
	customerName: string | null;
	/** The assigned agent's name, when the thread is assigned. */
	assigneeName: string | null;
	unread: number;
}

const assignee = alias(user, 'assignee');

const cursorOf = (at: Date, id: string) => `${at.toISOString()}|${id}`;
function readCursor(cursor: string): { at: Date; id: string } {
	const [iso, id] = cursor.split('|');
	const at = new Date(iso ?? '');
	if (!id || Number.isNaN(at.getTime()) || !z.uuid().safeParse(id).success) {
		throw badRequest('INVALID_CURSOR', 'The page cursor is not valid; reload the list.');
	}
	return { at, id };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The inbox page's one query (null when nothing can match), for listInbox and for EXPLAIN in the bench. */
export function planInbox(db: Db, viewer: { id: string }, q: z.output<typeof ZInboxQuery>) {
	const where: (SQL | undefined)[] = [
		q.filter === 'mine'
			? eq(smsThreads.assignedTo, viewer.id)
			: q.filter === 'unassigned'
				? isNull(smsThreads.assignedTo)
				: undefined
	];
	if (q.search) {
		const like = `%${escapeLike(q.search)}%`;
		const digits = q.search.replace(/[^\d+]/g, '');
		where.push(
			or(
				ilike(sql`${customers.firstName} || ' ' || ${customers.lastName}`, like),
				ilike(customers.company, like),
				digits.length >= 3 ? ilike(smsThreads.customerPhone, `%${escapeLike(digits)}%`) : undefined,
				sql`exists (select 1 from ${smsMessages} where ${smsMessages.threadId} = ${smsThreads.id} and ${smsMessages.body} ilike ${like})`
			)
		);
	}
	if (q.ids) {
		if (q.ids.length === 0) return null;
		where.push(inArray(smsThreads.id, q.ids));
	}
	if (q.cursor) {
		const c = readCursor(q.cursor);
		where.push(or(lt(smsThreads.lastMessageAt, c.at), and(eq(smsThreads.lastMessageAt, c.at), lt(smsThreads.id, c.id))));
	}
	const unread = sql<number>`(select count(*)::int from ${smsMessages} m where m.thread_id = ${smsThreads.id} and m.direction = 'inbound'
		and m.created_at > coalesce(${smsReadMarkers.lastReadAt}, '-infinity'::timestamptz))`;
	return db
		.select({
			thread: smsThreads,
			firstName: customers.firstName,
			lastName: customers.lastName,
			company: customers.company,
			assigneeName: assignee.name,
			unread
		})
		.from(smsThreads)
		.leftJoin(customers, eq(customers.id, smsThreads.customerId))
		.leftJoin(assignee, eq(assignee.id, smsThreads.assignedTo))
		.leftJoin(smsReadMarkers, and(eq(smsReadMarkers.threadId, smsThreads.id), eq(smsReadMarkers.userId, viewer.id)))
		.where(and(...where))
		.orderBy(desc(smsThreads.lastMessageAt), desc(smsThreads.id))
		.limit(q.limit + 1);
}

export async function listInbox(
	db: Db,
	viewer: { id: string },
	query: InboxQuery = {}
): Promise<{ items: InboxThread[]; nextCursor: string | null }> {
	const q = ZInboxQuery.parse(query);
	const plan = planInbox(db, viewer, q);
	if (!plan) return { items: [], nextCursor: null };
	const rows = await plan;
	const page = rows.slice(0, q.limit);
	const last = page.at(-1);
	return {
		items: page.map((r) => ({
			...toThreadView(r.thread),
			customerName: r.firstName === null ? null : `${r.firstName} ${r.lastName ?? ''}`.trim() || r.company || null,
			assigneeName: r.assigneeName,
			unread: Number(r.unread)
		})),
		nextCursor: rows.length > q.limit && last ? cursorOf(last.thread.lastMessageAt, last.thread.id) : null
	};
}

export const ZThreadMessagesQuery = z.object({
	threadId: z.uuid({ error: 'threadId must be a conversation id.' }),
	limit: z.number().int().min(1).max(MAX_INBOX_PAGE).default(30),
	/** `nextCursor` of the previous page: older messages. */
	cursor: z.string().max(100).optional()
});
export type ThreadMessagesQuery = z.input<typeof ZThreadMessagesQuery>;

/** Newest first; pass `nextCursor` to page back in time. */
export async function listThreadMessages(
	db: Db,
	query: ThreadMessagesQuery
): Promise<{ thread: SmsThreadView; items: SmsMessageView[]; nextCursor: string | null }> {
	const parsed = ZThreadMessagesQuery.safeParse(query);
	if (!parsed.success) throw badRequest('INVALID_THREAD_QUERY', parsed.error.issues[0]?.message ?? 'Invalid query.');
	const q = parsed.data;
	const [thread] = await db.select().from(smsThreads).where(eq(smsThreads.id, q.threadId));
	if (!thread) throw notFound('THREAD_NOT_FOUND', 'That conversation no longer exists; reload the inbox.');
	const where: (SQL | undefined)[] = [eq(smsMessages.threadId, q.threadId)];
	if (q.cursor) {
		const c = readCursor(q.cursor);
		where.push(or(lt(smsMessages.createdAt, c.at), and(eq(smsMessages.createdAt, c.at), lt(smsMessages.id, c.id))));
	}
	const rows = await db
		.select()
		.from(smsMessages)
		.where(and(...where))
		.orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
		.limit(q.limit + 1);
	const page = rows.slice(0, q.limit);
	const last = page.at(-1);
	return {
		thread: toThreadView(thread),
		items: page.map(toMessageView),
		nextCursor: rows.length > q.limit && last ? cursorOf(last.createdAt, last.id) : null
	};
}

/** The caller has read the thread up to now (or `upTo`); markers never move back. */
export async function markThreadRead(
	db: Db,
	viewer: { id: string },
	input: { threadId: string; upTo?: Date }
): Promise<{ lastReadAt: string }> {
	if (!z.uuid().safeParse(input.threadId).success)
		throw notFound('THREAD_NOT_FOUND', 'That conversation no longer exists; reload the inbox.');
	const [thread] = await db.select({ id: smsThreads.id }).from(smsThreads).where(eq(smsThreads.id, input.threadId));
	if (!thread) throw notFound('THREAD_NOT_FOUND', 'That conversation no longer exists; reload the inbox.');
	const at = input.upTo ?? new Date();
	await db
		.insert(smsReadMarkers)
		.values({ threadId: input.threadId, userId: viewer.id, lastReadAt: at })
		.onConflictDoUpdate({
			target: [smsReadMarkers.threadId, smsReadMarkers.userId],
			set: { lastReadAt: sql`greatest(${smsReadMarkers.lastReadAt}, excluded.last_read_at)` }
		});
	const [row] = await db
		.select({ lastReadAt: smsReadMarkers.lastReadAt })
		.from(smsReadMarkers)
		.where(and(eq(smsReadMarkers.threadId, input.threadId), eq(smsReadMarkers.userId, viewer.id)));
	return { lastReadAt: (row?.lastReadAt ?? at).toISOString() };
}

/**
 * Who may give a thread to whom: anyone may take an unassigned thread or hand back their own;
 * moving a thread between other people is for managers and up.
 */
export function mayAssign(actor: { id: string; role: Role }, current: string | null, next: string | null): boolean {
	if (roleAllows('manager', actor.role)) return true;
	if (next === actor.id) return current === null || current === actor.id;
	return next === null && current === actor.id;
}

/** Give a thread to an agent (or back to unassigned). */
export async function assignThread(
	db: Db,
	actor: { id: string; role: Role },
	input: { threadId: string; userId: string | null }
): Promise<SmsThreadView> {
	if (!z.uuid().safeParse(input.threadId).success)
		throw notFound('THREAD_NOT_FOUND', 'That conversation no longer exists; reload the inbox.');
	if (input.userId !== null) {
		const [staff] = await db.select({ id: user.id }).from(user).where(eq(user.id, input.userId));
		if (!staff) throw badRequest('ASSIGNEE_NOT_FOUND', 'Pick a staff member to assign the conversation to.');
	}
	const [thread] = await db.select({ assignedTo: smsThreads.assignedTo }).from(smsThreads).where(eq(smsThreads.id, input.threadId));
	if (!thread) throw notFound('THREAD_NOT_FOUND', 'That conversation no longer exists; reload the inbox.');
	if (!mayAssign(actor, thread.assignedTo, input.userId)) {
		throw new AppError(
			'FORBIDDEN',
			'ASSIGN_NOT_ALLOWED',
			'Agents can take unassigned conversations and hand back their own; ask a manager to move someone else\'s.'
		);
	}
	// Conditional on what was read, so two agents taking one thread at once cannot both win.
	const [row] = await db
		.update(smsThreads)
		.set({ assignedTo: input.userId })
		.where(
			and(
				eq(smsThreads.id, input.threadId),
				thread.assignedTo === null ? isNull(smsThreads.assignedTo) : eq(smsThreads.assignedTo, thread.assignedTo)
			)
		)
		.returning();
	if (!row) {
		throw new AppError('CONFLICT', 'ASSIGNMENT_CHANGED', 'Someone else changed who has this conversation just now; look again and retry.');
	}
	return toThreadView(row);
}
