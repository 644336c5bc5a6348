/**
 * The audit trail's two lists, newest first with keyset paging: ledger entries (with the staff
 * member's name) and gate decisions. Filters are all optional and combine with AND.
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import {
	ATTEMPT_DECISIONS,
	CONSENT_ACTIONS,
	CONSENT_CHANNELS,
	CONSENT_SOURCES,
	OUTBOUND_CHANNELS,
	consentLedger,
	outboundAttempts
} from '../db/schema/compliance';
import { badRequest } from '../errors';
import { normalizePhone } from '../crm/normalize-phone';
import { toEntry, type ConsentEntry } from './record-consent';

export const MAX_PAGE = 200;

export const ZConsentFilters = z.object({
	phone: z.string().max(40).optional(),
	channel: z.enum(CONSENT_CHANNELS).optional(),
	action: z.enum(CONSENT_ACTIONS).optional(),
	source: z.enum(CONSENT_SOURCES).optional(),
	/** The staff member behind the entries (manual entries, imports). */
	userId: z.string().min(1).max(100).optional(),
	from: z.date().optional(),
	to: z.date().optional(),
	limit: z.number().int().min(1).max(MAX_PAGE).default(50),
	/** `nextCursor` of the previous page. */
	cursor: z.string().max(100).optional()
});
export type ConsentFilters = z.input<typeof ZConsentFilters>;

export interface ConsentEntryView extends ConsentEntry {
	userName: string | null;
}

const cursorOf = (at: Date, id: string | number) => `${at.toISOString()}|${id}`;
function readCursor(cursor: string): { at: Date; id: string } {
	const [iso, id] = cursor.split('|');
	const at = new Date(iso ?? '');
	if (!id || Number.isNaN(at.getTime())) throw badRequest('INVALID_CURSOR', 'The page cursor is not valid; reload the list.');
	return { at, id };
}

const phoneOf = (input: string | undefined) => (input?.trim() ? normalizePhone(input).e164 : undefined);

export async function listConsentEntries(
	db: Db,
	filters: ConsentFilters = {}
): Promise<{ items: ConsentEntryView[]; nextCursor: string | null }> {
	const f = ZConsentFilters.parse(filters);
	const phone = phoneOf(f.phone);
	const where: (SQL | undefined)[] = [
		phone ? eq(consentLedger.phone, phone) : undefined,
		f.channel ? eq(consentLedger.channel, f.channel) : undefined,
		f.action ? eq(consentLedger.action, f.action) : undefined,
		f.source ? eq(consentLedger.source, f.source) : undefined,
		f.userId ? eq(consentLedger.userId, f.userId) : undefined,
		f.from ? gte(consentLedger.occurredAt, f.from) : undefined,
		f.to ? lte(consentLedger.occurredAt, f.to) : undefined
	];
	if (f.cursor) {
		const c = readCursor(f.cursor);
		const id = Number(c.id);
		if (!Number.isSafeInteger(id)) throw badRequest('INVALID_CURSOR', 'The page cursor is not valid; reload the list.');
		where.push(or(lt(consentLedger.occurredAt, c.at), and(eq(consentLedger.occurredAt, c.at), lt(consentLedger.id, id))));
	}
	const rows = await db
		.select({ entry: consentLedger, userName: user.name })
		.from(consentLedger)
		.leftJoin(user, eq(user.id, consentLedger.userId))
		.where(and(...where))
		.orderBy(desc(consentLedger.occurredAt), desc(consentLedger.id))
		.limit(f.limit + 1);
	const page = rows.slice(0, f.limit);
	const last = page.at(-1);
	return {
		items: page.map((r) => ({ ...toEntry(r.entry), userName: r.userName })),
		nextCursor: rows.length > f.limit && last ? cursorOf(last.entry.occurredAt, last.entry.id) : null
	};
}

export const ZAttemptFilters = z.object({
	phone: z.string().max(40).optional(),
	channel: z.enum(OUTBOUND_CHANNELS).optional(),
	decision: z.enum(ATTEMPT_DECISIONS).optional(),
	/** The staff member who asked. */
	userId: z.string().min(1).max(100).optional(),
	from: z.date().optional(),
	to: z.date().optional(),
	limit: z.number().int().min(1).max(MAX_PAGE).default(50),
	cursor: z.string().max(100).optional()
});
export type AttemptFilters = z.input<typeof ZAttemptFilters>;

export interface AttemptView {
	id: string;
	channel: (typeof OUTBOUND_CHANNELS)[number];
	toPhone: string;
	fromPhone: string | null;
	actorId: string | null;
	actorName: string | null;
	decision: (typeof ATTEMPT_DECISIONS)[number];
	code: string;
	reason: string;
	consentEntryId: number | null;
	attemptedAt: Date;
}

export async function listOutboundAttempts(
	db: Db,
	filters: AttemptFilters = {}
): Promise<{ items: AttemptView[]; nextCursor: string | null }> {
	const f = ZAttemptFilters.parse(filters);
	const phone = phoneOf(f.phone);
	const where: (SQL | undefined)[] = [
		phone ? eq(outboundAttempts.toPhone, phone) : undefined,
		f.channel ? eq(outboundAttempts.channel, f.channel) : undefined,
		f.decision ? eq(outboundAttempts.decision, f.decision) : undefined,
		f.userId ? eq(outboundAttempts.actorId, f.userId) : undefined,
		f.from ? gte(outboundAttempts.attemptedAt, f.from) : undefined,
		f.to ? lte(outboundAttempts.attemptedAt, f.to) : undefined
	];
	if (f.cursor) {
		const c = readCursor(f.cursor);
		if (!z.uuid().safeParse(c.id).success) throw badRequest('INVALID_CURSOR', 'The page cursor is not valid; reload the list.');
		where.push(
			or(lt(outboundAttempts.attemptedAt, c.at), and(eq(outboundAttempts.attemptedAt, c.at), lt(outboundAttempts.id, c.id)))
		);
	}
	const rows = await db
		.select({ attempt: outboundAttempts, actorName: user.name })
		.from(outboundAttempts)
		.leftJoin(user, eq(user.id, outboundAttempts.actorId))
		.where(and(...where))
		.orderBy(desc(outboundAttempts.attemptedAt), desc(outboundAttempts.id))
		.limit(f.limit + 1);
	const page = rows.slice(0, f.limit);
	const last = page.at(-1);
	return {
		items: page.map((r) => ({ ...r.attempt, actorName: r.actorName })),
		nextCursor: rows.length > f.limit && last ? cursorOf(last.attempt.attemptedAt, last.attempt.id) : null
	};
}
