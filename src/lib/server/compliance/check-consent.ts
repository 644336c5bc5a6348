/** A number's current consent for one channel: its latest ledger entry for that channel or for `all`. */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { consentLedger, type OutboundChannel } from '../db/schema/compliance';
import { toEntry, type ConsentEntry } from './record-consent';

export interface ConsentState {
	phone: string;
	channel: OutboundChannel;
	/** `none`: the ledger has nothing on this number, which allows contact. */
	state: 'opted_out' | 'opted_in' | 'none';
	/** The entry the state rests on. */
	entry: ConsentEntry | null;
}

/** `phone` must already be E.164 (the gate and the webhooks normalize first). */
export async function checkConsent(tx: Db | Tx, input: { phone: string; channel: OutboundChannel }): Promise<ConsentState> {
	const [row] = await tx
		.select()
		.from(consentLedger)
		.where(and(eq(consentLedger.phone, input.phone), inArray(consentLedger.channel, [input.channel, 'all'])))
		.orderBy(desc(consentLedger.occurredAt), desc(consentLedger.id))
		.limit(1);
	if (!row) return { phone: input.phone, channel: input.channel, state: 'none', entry: null };
	return {
		phone: input.phone,
		channel: input.channel,
		state: row.action === 'opt_out' ? 'opted_out' : 'opted_in',
		entry: toEntry(row)
	};
}
