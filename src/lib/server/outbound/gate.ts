/**
 * The outbound gate: every dial and every first text, manual, callback or campaign, runs through
 * gateAttempt inside the transaction that writes the attempt, and the attempt row is written
 * whatever the answer (allowed or refused), with the rule set, the ledger as read, the
 * recipient's local time and who asked. Rules, in order: the number itself (valid, no short
 * code, no premium rate, domestic unless allowed), the Do-Not-Call/Text ledger (an opt-out on
 * either channel blocks both), the recipient-local calling window (stricter per region), the
 * attempts per 24 hours (calls and texts together), and the re-call gap (dials).
 *
 * A refusal is returned, not thrown: the caller commits the attempt row, writes nothing else,
 * sends nothing to the carrier, and shows `message`, `recipientLocalTime` and `opensAt`.
 * `now` is the gate's clock (outbound/clock.ts), so tests and fixed-clock demos decide the time.
 */
import { and, desc, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { outboundAttempts, type AttemptSource, type OutboundChannel } from '../db/schema/compliance';
import { consentStates, type NumberConsent } from '../compliance/consent-states';
import { refusalReason } from '../compliance/gate-outbound';
import { lockPhone } from '../compliance/record-consent';
import { AppError } from '../errors';
import { localIso, opensAt as windowOpensAt, windowOpen } from './calling-window';
import { readRecipient, type NumberRefusal } from './recipient';
import { rulesFor, type RuleSet } from './rule-set';

export type GateRule =
	| NumberRefusal
	| 'DNC_BLOCKED'
	| 'OUTSIDE_CALLING_HOURS'
	| 'TIMEZONE_UNKNOWN'
	| 'MAX_ATTEMPTS'
	| 'RECALL_GAP'
	/** Written by the dial path (outbound/place-outbound-call.ts) from hot state, never by gateAttempt's own rules. */
	| 'DIAL_IN_PROGRESS'
	| 'AGENT_ON_CALL';

export interface GateAttemptInput {
	/** The staff member asking; null for the system. */
	actor: { id: string } | null;
	/** As typed or stored: E.164 or a national number. */
	to: string;
	channel: OutboundChannel;
	source: Exclude<AttemptSource, 'reply'>;
	campaignId?: string;
	leadId?: string;
	/** Our number the attempt goes out from, for the audit trail. */
	from?: string | null;
	now: Date;
	rules: RuleSet;
	/** `refusals`: a pre-check before the dial keeps refused attempts only (the dial itself keeps the allowed one). */
	record?: 'all' | 'refusals';
}

export type GateResult =
	| {
			ok: true;
			attemptId: string | null;
			e164: string;
			ruleSet: string;
			recipientLocalTime: string;
			timeZone: string;
	  }
	| {
			ok: false;
			attemptId: string;
			rule: GateRule;
			message: string;
			e164: string | null;
			recipientLocalTime: string | null;
			timeZone: string | null;
			opensAt: Date | null;
			error: AppError;
	  };

interface Verdict {
	rule: GateRule | null;
	message: string;
	e164: string | null;
	zones: readonly string[];
	consent: NumberConsent | null;
	opensAt: Date | null;
}

export async function gateAttempt(tx: Tx, input: GateAttemptInput): Promise<GateResult> {
	const verdict = await judge(tx, input);
	const zone = verdict.zones.join(',') || null;
	const local = verdict.zones[0] ? localIso(input.now, verdict.zones[0]) : null;
	if (verdict.rule === null && input.record === 'refusals') {
		return {
			ok: true,
			attemptId: null,
			e164: verdict.e164 ?? input.to,
			ruleSet: input.rules.name,
			recipientLocalTime: local ?? '',
			timeZone: zone ?? ''
		};
	}
	const attemptId = await writeAttempt(tx, input, { ...verdict, zone, local });
	if (verdict.rule === null) {
		return {
			ok: true,
			attemptId,
			e164: verdict.e164 ?? input.to,
			ruleSet: input.rules.name,
			recipientLocalTime: local ?? '',
			timeZone: zone ?? ''
		};
	}
	return refusal(attemptId, verdict.rule, verdict.message, {
		e164: verdict.e164,
		local,
		zone,
		opensAt: verdict.opensAt
	});
}

/** Keep a refusal decided outside the gate's own rules (hot state: DIAL_IN_PROGRESS, AGENT_ON_CALL) as an attempt row. */
export async function recordRefusedAttempt(
	tx: Tx,
	input: Omit<GateAttemptInput, 'record'>,
	rule: GateRule,
	message: string
): Promise<Extract<GateResult, { ok: false }>> {
	const recipient = readRecipient(input.to, input.rules);
	const e164 = recipient.ok ? recipient.e164 : null;
	const zones = recipient.ok ? recipient.zones : [];
	const local = zones[0] ? localIso(input.now, zones[0]) : null;
	const zone = zones.join(',') || null;
	const attemptId = await writeAttempt(tx, input, {
		rule,
		message,
		e164,
		zones,
		consent: null,
		opensAt: null,
		zone,
		local
	});
	return refusal(attemptId, rule, message, {
		e164,
		local,
		zone,
		opensAt: null
	});
}

function refusal(
	attemptId: string,
	rule: GateRule,
	message: string,
	at: {
		e164: string | null;
		local: string | null;
		zone: string | null;
		opensAt: Date | null;
	}
): Extract<GateResult, { ok: false }> {
	const kind =
		rule === 'DIAL_IN_PROGRESS' || rule === 'AGENT_ON_CALL'
			? 'CONFLICT'
			: rule.startsWith('INVALID') || rule === 'SHORT_CODE'
				? 'BAD_REQUEST'
				: 'FORBIDDEN';
	const error = new AppError(kind, rule, message, {
		rule,
		phone: at.e164,
		recipientLocalTime: at.local,
		timeZone: at.zone,
		opensAt: at.opensAt?.toISOString() ?? null
	});
	return {
		ok: false,
		attemptId,
		rule,
		message,
		e164: at.e164,
		recipientLocalTime: at.local,
		timeZone: at.zone,
		opensAt: at.opensAt,
		error
	};
}

async function judge(tx: Tx, input: GateAttemptInput): Promise<Verdict> {
	const recipient = readRecipient(input.to, input.rules);
	if (!recipient.ok) return { rule: recipient.rule, message: recipient.message, e164: null, zones: [], consent: null, opensAt: null };
	const { e164, zones } = recipient;
	// Attempts on one number are judged one at a time: the gap and the 24-hour count see each other.
	await lockPhone(tx, e164);
	const consent = (await consentStates(tx, [e164])).get(e164) ?? null;
	const refuse = (rule: GateRule, message: string, opensAt: Date | null = null): Verdict => ({ rule, message, e164, zones, consent, opensAt });
	// An opt-out on either channel blocks both: the one asked about first, for its wording.
	const channels = input.channel === 'voice' ? (['voice', 'sms'] as const) : (['sms', 'voice'] as const);
	const optOut = channels.map((c) => consent?.channels[c]).find((c) => c?.state === 'opted_out')?.entry;
	if (optOut) return refuse('DNC_BLOCKED', await refusalReason(tx, optOut, input.channel));
	if (zones.length === 0)
		return refuse('TIMEZONE_UNKNOWN', `Switchboard cannot tell the local time at ${e164}, so it cannot check the calling hours there.`);
	return (
		(await judgeTiming(tx, input, e164, zones, recipient.region, refuse)) ?? { rule: null, message: 'Allowed.', e164, zones, consent, opensAt: null }
	);
}

/** The calling window, the attempts per 24 hours and the re-call gap: null when all allow the attempt. */
async function judgeTiming(
	tx: Tx,
	input: GateAttemptInput,
	e164: string,
	zones: readonly string[],
	region: string | null,
	refuse: (rule: GateRule, message: string, opensAt: Date | null) => Verdict
): Promise<Verdict | null> {
	const regional = rulesFor(input.rules, region);
	if (!windowOpen(input.now, zones, regional.window)) {
		const where = regional.law ? ` (${region}: ${regional.law})` : '';
		const hours = `${regional.window.start}-${regional.window.end}`;
		const message = `It is ${clock(input.now, zones[0] ?? 'UTC')} for ${e164}; calls and texts are allowed ${hours} recipient time${where}.`;
		return refuse('OUTSIDE_CALLING_HOURS', message, windowOpensAt(input.now, zones, regional.window));
	}
	if (regional.maxAttemptsPer24h !== null) {
		const made = await attemptsSince(tx, e164, new Date(input.now.getTime() - DAY_MS));
		if (made.count >= regional.maxAttemptsPer24h) {
			const law = regional.law ? ` under the ${regional.law}` : '';
			const message = `${e164} has had ${made.count} calls or texts in 24 hours, the most allowed${law}.`;
			return refuse('MAX_ATTEMPTS', message, made.oldest ? new Date(made.oldest.getTime() + DAY_MS) : null);
		}
	}
	if (input.channel === 'voice' && input.rules.recallGapMinutes > 0) {
		const last = await lastDial(tx, e164);
		const gapMs = input.rules.recallGapMinutes * 60_000;
		if (last && input.now.getTime() - last.getTime() < gapMs) {
			const message = `${e164} was dialled ${ago(input.now, last)}; wait ${input.rules.recallGapMinutes} minutes between dials of one number.`;
			return refuse('RECALL_GAP', message, new Date(last.getTime() + gapMs));
		}
	}
	return null;
}

const DAY_MS = 24 * 3600_000;

async function attemptsSince(tx: Tx, e164: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
	const rows = await tx
		.select({ at: outboundAttempts.attemptedAt })
		.from(outboundAttempts)
		.where(
			and(
				eq(outboundAttempts.toPhone, e164),
				gt(outboundAttempts.attemptedAt, since),
				eq(outboundAttempts.decision, 'allowed'),
				isNotNull(outboundAttempts.source)
			)
		)
		.orderBy(outboundAttempts.attemptedAt);
	return { count: rows.length, oldest: rows[0]?.at ?? null };
}

async function lastDial(tx: Tx, e164: string): Promise<Date | null> {
	const [row] = await tx
		.select({ at: outboundAttempts.attemptedAt })
		.from(outboundAttempts)
		.where(
			and(
				eq(outboundAttempts.toPhone, e164),
				eq(outboundAttempts.channel, 'voice'),
				eq(outboundAttempts.decision, 'allowed'),
				isNotNull(outboundAttempts.source)
			)
		)
		.orderBy(desc(outboundAttempts.attemptedAt))
		.limit(1);
	return row?.at ?? null;
}

async function writeAttempt(
	tx: Tx,
	input: Omit<GateAttemptInput, 'record'>,
	v: Verdict & { zone: string | null; local: string | null }
): Promise<string> {
	const ledger = v.consent
		? Object.fromEntries(
				(['voice', 'sms'] as const).map((c) => [
					c,
					{
						state: v.consent?.channels[c].state,
						entryId: v.consent?.channels[c].entry?.id ?? null
					}
				])
			)
		: null;
	const entry = v.consent ? (v.consent.channels[input.channel].entry ?? null) : null;
	const [row] = await tx
		.insert(outboundAttempts)
		.values({
			channel: input.channel,
			toPhone: v.e164 ?? input.to.slice(0, 40),
			fromPhone: input.from ?? null,
			actorId: input.actor?.id ?? null,
			decision: v.rule === null ? 'allowed' : 'refused',
			code: v.rule ?? 'ALLOWED',
			reason: v.message,
			consentEntryId: entry?.id ?? null,
			attemptedAt: input.now,
			source: input.source,
			ruleSet: input.rules,
			ledgerState: ledger,
			recipientTimeZone: v.zone,
			recipientLocalTime: v.local,
			opensAt: v.opensAt,
			campaignId: input.campaignId ?? null,
			leadId: input.leadId ?? null
		})
		.returning({ id: outboundAttempts.id });
	if (!row) throw new Error('insert into outbound_attempts returned no row');
	return row.id;
}

/** How long a campaign's allowed attempt may wait for the softphone's call that places it. */
export const CAMPAIGN_ATTEMPT_TTL_MS = 2 * 60_000;

/**
 * A campaign dial was already gated by the campaign (campaigns/next-call.ts gateLead wrote the
 * allowed attempt); the softphone's call passes that attempt's id as `outboundAttemptId`. The
 * dial route reuses it instead of gating again (which would write a second attempt and refuse the
 * call by the re-call gap the first one started), but only when it is exactly that dial: allowed,
 * source campaign, same agent, number, campaign and lead, not yet linked to a call, and recent.
 * Anything else returns null and the route runs the whole gate as for any other dial.
 * Locks the row, so two deliveries racing for one attempt cannot both link it.
 */
export async function campaignAttemptToReuse(
	tx: Tx,
	input: { attemptId: string; agentId: string; e164: string; campaignId?: string; leadId?: string; now: Date }
): Promise<{ attemptId: string; recipientLocalTime: string } | null> {
	if (!input.campaignId || !input.leadId) return null;
	const [row] = await tx
		.select({ id: outboundAttempts.id, recipientLocalTime: outboundAttempts.recipientLocalTime })
		.from(outboundAttempts)
		.where(
			and(
				eq(outboundAttempts.id, input.attemptId),
				eq(outboundAttempts.decision, 'allowed'),
				eq(outboundAttempts.source, 'campaign'),
				eq(outboundAttempts.channel, 'voice'),
				eq(outboundAttempts.actorId, input.agentId),
				eq(outboundAttempts.toPhone, input.e164),
				eq(outboundAttempts.campaignId, input.campaignId),
				eq(outboundAttempts.leadId, input.leadId),
				isNull(outboundAttempts.callSid),
				gt(outboundAttempts.attemptedAt, new Date(input.now.getTime() - CAMPAIGN_ATTEMPT_TTL_MS))
			)
		)
		.for('update');
	return row ? { attemptId: row.id, recipientLocalTime: row.recipientLocalTime ?? '' } : null;
}

/** Link the attempt to the call it placed. */
export async function setAttemptCall(tx: Tx, attemptId: string, callSid: string): Promise<void> {
	await tx.update(outboundAttempts).set({ callSid }).where(eq(outboundAttempts.id, attemptId));
}

function clock(at: Date, zone: string): string {
	return new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hour: 'numeric',
		minute: '2-digit',
		timeZoneName: 'short'
	}).format(at);
}

function ago(now: Date, then: Date): string {
	const minutes = Math.max(0, Math.round((now.getTime() - then.getTime()) / 60_000));
	return minutes < 1 ? 'less than a minute ago' : `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
}
