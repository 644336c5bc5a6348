/**
 * Record each carrier delivery once. Call `recordDeliveryOnce` inside the transaction that makes
 * the delivery's domain change: a retry (or a concurrent duplicate, which waits on the unique
 * index) gets false and must change nothing.
 */
import type { Db, Tx } from '../db/client';
import { webhookDeliveries } from '../db/schema/webhooks';

export const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';

/**
 * The delivery's dedupe key: Twilio's I-Twilio-Idempotency-Token when sent (a retry carries the
 * same one), else `kind` plus the delivery's own ids, e.g. `voice.status`, CallSid, SequenceNumber
 * or `sms.status`, MessageSid, MessageStatus.
 */
export function deliveryKey(headers: Headers, kind: string, ids: (string | number | undefined)[]): string {
	const token = headers.get(IDEMPOTENCY_HEADER)?.trim();
	if (token) return `token:${token}`;
	return [kind, ...ids.map((id) => (id === undefined ? '' : String(id)))].join(':');
}

/** True the first time `key` is seen; false for a replay. */
export async function recordDeliveryOnce(tx: Db | Tx, key: string, kind: string): Promise<boolean> {
	const rows = await tx
		.insert(webhookDeliveries)
		.values({ dedupeKey: key, kind })
		.onConflictDoNothing({ target: webhookDeliveries.dedupeKey })
		.returning({ id: webhookDeliveries.id });
	return rows.length > 0;
}
