/**
 * An agent starts a text thread from a customer or lead record. The text goes through the
 * outbound gate (gate.ts), the one every dial runs, inside the transaction that records it: an
 * opt-out on either channel blocks it, the recipient-local window and the attempts per 24 hours
 * (calls and texts together) apply, and the attempt is kept as proof whatever the answer. Allowed,
 * it is recorded and queued like any agent text (sms/send-sms.ts), from the number the customer
 * knows; refused, the gate's error is thrown (its details carry the rule, the recipient's local
 * time and when texting opens) and nothing but the attempt row is written.
 */
import { api } from '$convex/_generated/api';
import { desc, eq } from 'drizzle-orm';
import { roleAllows, type Role } from '$lib/roles';
import type { BroadcastPort } from '../adapters/broadcast';
import type { Db } from '../db/client';
import { smsThreads } from '../db/schema/sms';
import type { Config } from '../env';
import { AppError } from '../errors';
import type { HotState } from '../live/hot';
import { SYSTEM_IDENTITY } from '../live/identity';
import { announceInboxChange } from '../sms/inbox-events';
import { threadKeyOf } from '../sms/message-view';
import { publishMessage } from '../sms/publish-hot';
import { sendSms, validateSmsBody, type SendSmsDeps, type SendSmsResult, type SmsGate } from '../sms/send-sms';
import { chooseCallerId } from './caller-id';
import { outboundClock } from './clock';
import { gateAttempt, type GateAttemptInput } from './gate';
import { readRecipient } from './recipient';

export interface StartTextDeps extends SendSmsDeps {
	db: Db;
	hot: HotState;
	broadcast: BroadcastPort;
	config: Pick<Config, 'outbound'>;
}

export async function startTextThread(
	deps: StartTextDeps,
	input: { to: string; body: string; actor: { id: string; name: string; role: Role } }
): Promise<SendSmsResult> {
	validateSmsBody(input.body);
	const gateInput = (to: string, from: string | null): GateAttemptInput => ({
		actor: { id: input.actor.id },
		to,
		channel: 'sms',
		source: 'manual',
		from,
		now: outboundClock(deps.config)(),
		rules: deps.config.outbound.rules
	});
	const recipient = readRecipient(input.to, deps.config.outbound.rules);
	if (!recipient.ok) {
		// Not a number we may text at all: kept as a refused attempt, nothing else.
		const refused = await deps.db.transaction((tx) => gateAttempt(tx, gateInput(input.to, null)));
		if (!refused.ok) throw refused.error;
		throw new Error('the gate allowed a number it could not read');
	}
	const known = await knownThread(deps.db, recipient.e164);
	if (known?.assignedTo && known.assignedTo !== input.actor.id && !roleAllows('manager', input.actor.role)) {
		throw new AppError('FORBIDDEN', 'THREAD_ASSIGNED_ELSEWHERE', 'This customer\'s conversation is assigned to someone else; ask a manager to move it to you.');
	}
	const ourPhone = known?.ourPhone ?? (await chooseCallerId(deps.db, { customerE164: recipient.e164 })).number;
	const threadKey = threadKeyOf(recipient.e164, ourPhone);
	// Another agent composing in this thread holds it, as in the inbox.
	await deps.hot.mutation(api.smsLocks.assertHolder, { threadKey, userId: input.actor.id, userName: input.actor.name }, SYSTEM_IDENTITY);
	const gate: SmsGate = async (tx, pair) => {
		const result = await gateAttempt(tx, gateInput(pair.customerPhone, pair.ourPhone));
		if (!result.ok) return { allowed: false, error: result.error };
		if (!result.attemptId) throw new Error('the gate kept no attempt for an allowed text');
		return { allowed: true, attemptId: result.attemptId };
	};
	try {
		const result = await sendSms(deps.db, deps, { to: recipient.e164, from: ourPhone, body: input.body, actor: input.actor, gate });
		await publishMessage(deps.hot, result.thread, result.message);
		void announceInboxChange(deps.broadcast, { threadId: result.thread.id, kind: 'message' });
		return result;
	} finally {
		await deps.hot.mutation(api.smsLocks.releaseFor, { threadKey, userId: input.actor.id }, SYSTEM_IDENTITY).catch(() => undefined);
	}
}

/** The customer's latest thread: the text goes on in it, from the number they already text with; else from the one they know by voice. */
async function knownThread(db: Db, customerE164: string): Promise<{ ourPhone: string; assignedTo: string | null } | null> {
	const [thread] = await db
		.select({ ourPhone: smsThreads.ourPhone, assignedTo: smsThreads.assignedTo })
		.from(smsThreads)
		.where(eq(smsThreads.customerPhone, customerE164))
		.orderBy(desc(smsThreads.lastMessageAt))
		.limit(1);
	return thread ?? null;
}
