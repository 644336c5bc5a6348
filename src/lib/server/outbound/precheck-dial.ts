/**
 * The check the Call button runs before the softphone connects, so a refusal shows on screen
 * (rule, recipient local time, when calling opens) before any carrier request. It is the gate
 * itself with `record: 'refusals'`: a refusal is kept as an attempt; an allowed check is not,
 * because the dial that follows runs the gate again and keeps that attempt.
 */
import type { Db } from '../db/client';
import type { Config } from '../env';
import { outboundClock } from './clock';
import { gateAttempt } from './gate';

export interface DialPrecheck {
	ok: boolean;
	e164: string | null;
	rule: string | null;
	message: string | null;
	recipientLocalTime: string | null;
	timeZone: string | null;
	opensAt: string | null;
}

export async function precheckDial(
	deps: { db: Db; config: Pick<Config, 'outbound'> },
	input: { actorId: string; to: string; channel: 'voice' | 'sms' }
): Promise<DialPrecheck> {
	const now = outboundClock(deps.config)();
	const result = await deps.db.transaction((tx) =>
		gateAttempt(tx, { actor: { id: input.actorId }, to: input.to, channel: input.channel, source: 'manual', now, rules: deps.config.outbound.rules, record: 'refusals' })
	);
	if (result.ok) {
		return { ok: true, e164: result.e164, rule: null, message: null, recipientLocalTime: result.recipientLocalTime, timeZone: result.timeZone, opensAt: null };
	}
	return {
		ok: false,
		e164: result.e164,
		rule: result.rule,
		message: result.message,
		recipientLocalTime: result.recipientLocalTime,
		timeZone: result.timeZone,
		opensAt: result.opensAt?.toISOString() ?? null
	};
}
