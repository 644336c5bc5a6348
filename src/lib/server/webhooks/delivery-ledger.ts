/**
 * Record each carrier delivery once. Call `recordDeliveryOnce` inside the transaction that makes
 * the delivery's domain change: a retry (or a concurrent duplicate, which waits on the unique
 * index) gets false and must change nothing.
 */
import type { Db, Tx } from '../db/client';
import { webhookDeliveries } from '../db/schema/webhooks';

/**
 * The delivery's dedupe key: `kind` plus the delivery's own ids, e.g. `voice.status`, CallSid,
 * SequenceNumber or `sms.status`, MessageSid, MessageStatus. Only signed parameters go in: the
 * I-Twilio-Idempotency-Token header is not covered by the signature (anyone on the path could
 * change it to replay a delivery), and the fallback URL gets a new token for the same event.
 */
export function deliveryKey(kind: string, ids: (string | number | undefined)[]): string {
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
