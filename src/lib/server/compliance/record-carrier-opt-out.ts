/**
 * Twilio answers 21610 when we text a number that replied STOP to our sender: the carrier
 * already blocks it, so the ledger records it too and the gate refuses before the next try.
 * Idempotent per message: the same failed send reported twice adds one entry.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { consentLedger } from '../db/schema/compliance';
import { recordConsent, toEntry, type ConsentEntry } from './record-consent';

export const UNSUBSCRIBED_RECIPIENT = 21610;

export async function recordCarrierOptOut(
	db: Db,
	input: { phone: string; messageSid?: string | null; from?: string | null; userId?: string | null }
): Promise<ConsentEntry> {
	return db.transaction(async (tx) => {
		if (input.messageSid) {
			const [existing] = await tx
				.select()
				.from(consentLedger)
				.where(and(eq(consentLedger.messageSid, input.messageSid), eq(consentLedger.source, 'carrier_error')))
				.limit(1);
			if (existing) return toEntry(existing);
		}
		return recordConsent(tx, {
			phone: input.phone,
			channel: 'sms',
			action: 'opt_out',
			source: 'carrier_error',
			messageSid: input.messageSid ?? null,
			userId: input.userId ?? null,
			reason: `Carrier error ${UNSUBSCRIBED_RECIPIENT}: the recipient unsubscribed from ${input.from ?? 'our number'}.`
		});
	});
}
