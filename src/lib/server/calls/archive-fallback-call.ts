/**
 * A call that only reached the voice fallback route (the caller heard the apology and the
 * hangup), replayed from the spool once the archive is back: archived under the same delivery
 * key the incoming-call webhook uses, so it is written once whether or not the primary webhook
 * committed after all. It is not routed: the caller is gone, and hot state must not show them.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { recordUnknownCaller } from '../crm/record-unknown-caller';
import { deliveryKey, recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TVoiceRequest } from '../webhooks/voice-params';
import { addCallEvent, ensureCall, keepFirst } from './call-archive';
import { phoneNumberOrNull } from './caller-number';
import { findVoiceQueue } from './find-voice-queue';

/** True when this replay archived the call; false when it was archived before. */
export async function archiveFallbackCall(db: Db, input: { call: TVoiceRequest; errorCode: string | null; receivedAt: Date }): Promise<boolean> {
	const { call, receivedAt } = input;
	const fromE164 = phoneNumberOrNull(call.From);
	const toE164 = phoneNumberOrNull(call.To);
	const queue = toE164 ? await findVoiceQueue(db, toE164) : null;
	return db.transaction(async (tx) => {
		if (!(await recordDeliveryOnce(tx, deliveryKey('voice.incoming', [call.CallSid]), 'voice.incoming'))) return false;
		const customer = fromE164 ? (await recordUnknownCaller(tx, { phone: fromE164 })).customer : null;
		const base = { callSid: call.CallSid, direction: 'inbound' as const, fromRaw: call.From, toRaw: call.To, fromE164, toE164, receivedAt };
		// A status callback may have made the row first: keep what it recorded, fill in the rest.
		const row = await ensureCall(tx, base);
		await tx
			.update(calls)
			.set({
				customerId: customer?.id ?? row.customerId,
				queue: queue?.name ?? row.queue,
				endedAt: keepFirst(calls.endedAt, receivedAt),
				outcome: row.outcome ?? 'abandoned'
			})
			.where(eq(calls.id, row.id));
		await addCallEvent(tx, { callId: row.id, kind: 'received', at: receivedAt, payload: { from: call.From, to: call.To, queue: queue?.name ?? null, customerId: customer?.id ?? null } });
		await addCallEvent(tx, { callId: row.id, kind: 'fallback', at: receivedAt, payload: { errorCode: input.errorCode } });
		return true;
	});
}
