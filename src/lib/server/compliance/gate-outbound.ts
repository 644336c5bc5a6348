/**
 * The compliance gate every outbound text and dial goes through. It runs inside the caller's
 * transaction (the one that records the attempt), reads the consent ledger under the number's
 * lock, and writes an outbound_attempts row saying why the attempt was allowed or refused.
 * A refusal is returned, not thrown: the caller commits the audit row, writes nothing else,
 * and throws `decision.error` after the commit.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { outboundAttempts, type OutboundChannel } from '../db/schema/compliance';
import { AppError } from '../errors';
import { formatInternational } from './format';
import { checkConsent, type ConsentState } from './check-consent';
import { lockPhone, type ConsentEntry } from './record-consent';

export interface GateInput {
	/** E.164. */
	to: string;
	channel: OutboundChannel;
	/** The staff member asking, or null for the system. */
	actor: { id: string } | null;
	/** Our number the attempt goes out from, for the audit trail. */
	from?: string | null;
}

export type GateDecision =
	| { allowed: true; attemptId: string; code: 'CONSENT_OK' | 'NO_ENTRY'; reason: string; consent: ConsentState }
	| { allowed: false; attemptId: string; code: 'DNC_BLOCKED'; reason: string; consent: ConsentState; error: AppError };

export async function gateOutbound(tx: Tx, input: GateInput): Promise<GateDecision> {
	await lockPhone(tx, input.to);
	const consent = await checkConsent(tx, { phone: input.to, channel: input.channel });
	const entry = consent.entry;
	let decision: { allowed: boolean; code: 'CONSENT_OK' | 'NO_ENTRY' | 'DNC_BLOCKED'; reason: string };
	if (consent.state === 'opted_out' && entry) {
		decision = { allowed: false, code: 'DNC_BLOCKED', reason: await refusalReason(tx, entry, input.channel) };
	} else if (entry) {
		decision = { allowed: true, code: 'CONSENT_OK', reason: `Opted in (${describeSource(entry)}) on ${day(entry.occurredAt)}.` };
	} else {
		decision = { allowed: true, code: 'NO_ENTRY', reason: 'No Do-Not-Contact entry for this number.' };
	}
	const [row] = await tx
		.insert(outboundAttempts)
		.values({
			channel: input.channel,
			toPhone: input.to,
			fromPhone: input.from ?? null,
			actorId: input.actor?.id ?? null,
			decision: decision.allowed ? 'allowed' : 'refused',
			code: decision.code,
			reason: decision.reason,
			consentEntryId: entry?.id ?? null
		})
		.returning({ id: outboundAttempts.id });
	if (!row) throw new Error('insert into outbound_attempts returned no row');
	if (decision.code === 'DNC_BLOCKED') {
		const error = new AppError('FORBIDDEN', 'DNC_BLOCKED', decision.reason, {
			phone: input.to,
			entryId: entry?.id,
			source: entry?.source,
			keyword: entry?.keyword ?? null,
			channel: entry?.channel,
			occurredAt: entry?.occurredAt.toISOString()
		});
		return { allowed: false, attemptId: row.id, code: 'DNC_BLOCKED', reason: decision.reason, consent, error };
	}
	return { allowed: true, attemptId: row.id, code: decision.code, reason: decision.reason, consent };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function describeSource(entry: ConsentEntry): string {
	switch (entry.source) {
		case 'keyword':
			return `by keyword ${entry.keyword ?? 'STOP'}`;
		case 'agent':
			return 'by a staff member';
		case 'import':
			return 'by import';
		case 'api':
			return 'through the API';
		case 'carrier_error':
			return 'at the carrier (error 21610)';
	}
}

/** "+1 415 555 0100 opted out by keyword STOP on 2026-11-24; they must text START to receive messages." */
export async function refusalReason(tx: Tx, entry: ConsentEntry, channel: OutboundChannel): Promise<string> {
	let userName: string | null = null;
	if (entry.userId) {
		const [row] = await tx.select({ name: user.name }).from(user).where(eq(user.id, entry.userId));
		userName = row?.name ?? null;
	}
	const who = formatInternational(entry.phone);
	const on = day(entry.occurredAt);
	const why = entry.reason ? ` (${entry.reason})` : '';
	const byCustomer = channel === 'sms' ? 'they must text START to receive messages' : 'they must text START before we call';
	const byStaff = 'a manager must remove the entry before anyone contacts them';
	switch (entry.source) {
		case 'keyword':
			return `${who} opted out by keyword ${entry.keyword ?? 'STOP'} on ${on}; ${byCustomer}.`;
		case 'carrier_error':
			return `${who} is unsubscribed at the carrier (error 21610) since ${on}; ${byCustomer}.`;
		case 'agent':
			return `${who} was put on the Do-Not-Contact list by ${userName ?? 'a staff member'} on ${on}${why}; ${byStaff}.`;
		case 'import':
			return `${who} was imported as Do-Not-Contact on ${on}${why}; ${byStaff}.`;
		case 'api':
			return `${who} was put on the Do-Not-Contact list through the API on ${on}${why}; ${byStaff}.`;
	}
}
