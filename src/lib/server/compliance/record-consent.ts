/**
 * Append one entry to the consent ledger. Entries are never edited or deleted: removing a
 * number from the Do-Not-Contact list is an `opt_in` entry with its own reason, so the audit
 * trail always shows who decided what, when and why.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import {
	CONSENT_ACTIONS,
	CONSENT_CHANNELS,
	CONSENT_REASON_MAX,
	CONSENT_SOURCES,
	consentLedger,
	type ConsentAction,
	type ConsentChannel,
	type ConsentSource
} from '../db/schema/compliance';
import { badRequest } from '../errors';
import { normalizePhone } from '../crm/normalize-phone';

export interface ConsentEntry {
	id: number;
	phone: string;
	channel: ConsentChannel;
	action: ConsentAction;
	source: ConsentSource;
	keyword: string | null;
	messageSid: string | null;
	userId: string | null;
	reason: string;
	occurredAt: Date;
}

export const ZRecordConsentInput = z.object({
	/** Any common format; stored as E.164. */
	phone: z.string().max(40),
	channel: z.enum(CONSENT_CHANNELS),
	action: z.enum(CONSENT_ACTIONS),
	source: z.enum(CONSENT_SOURCES),
	keyword: z.string().max(32).nullish(),
	messageSid: z.string().max(64).nullish(),
	userId: z.string().min(1).nullish(),
	reason: z
		.string()
		.trim()
		.max(CONSENT_REASON_MAX, { error: `A reason is at most ${CONSENT_REASON_MAX} characters.` })
		.default(''),
	occurredAt: z.date().optional()
});
export type RecordConsentInput = z.input<typeof ZRecordConsentInput>;

/**
 * Serialize ledger writes and gate reads for one number inside the caller's transaction, so a
 * STOP arriving while a send is being recorded is either seen by the gate or recorded after it.
 */
export async function lockPhone(tx: Db | Tx, phone: string): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(5150, hashtext(${phone}))`);
}

/** Record an entry; pass a transaction to record it atomically with what caused it. */
export async function recordConsent(db: Db | Tx, input: RecordConsentInput): Promise<ConsentEntry> {
	const parsed = ZRecordConsentInput.safeParse(input);
	if (!parsed.success) {
		throw badRequest('INVALID_CONSENT_ENTRY', parsed.error.issues[0]?.message ?? 'Invalid consent entry.');
	}
	const fields = parsed.data;
	const { e164 } = normalizePhone(fields.phone);
	const write = async (tx: Db | Tx) => {
		await lockPhone(tx, e164);
		const [row] = await tx
			.insert(consentLedger)
			.values({
				phone: e164,
				channel: fields.channel,
				action: fields.action,
				source: fields.source,
				keyword: fields.keyword ?? null,
				messageSid: fields.messageSid ?? null,
				userId: fields.userId ?? null,
				reason: fields.reason,
				occurredAt: fields.occurredAt ?? new Date()
			})
			.returning();
		if (!row) throw new Error('insert into consent_ledger returned no row');
		return toEntry(row);
	};
	// The advisory lock is transaction-scoped; outside a transaction open one so it holds until the insert commits.
	return 'rollback' in db ? write(db) : db.transaction(write);
}

export function toEntry(row: typeof consentLedger.$inferSelect): ConsentEntry {
	return {
		id: row.id,
		phone: row.phone,
		channel: row.channel,
		action: row.action,
		source: row.source,
		keyword: row.keyword,
		messageSid: row.messageSid,
		userId: row.userId,
		reason: row.reason,
		occurredAt: row.occurredAt
	};
}
