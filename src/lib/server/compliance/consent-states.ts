/**
 * Many numbers' current state on both channels in one query: for the customer record (each of
 * its numbers), the import (which numbers are already on the list) and the manual entries. Same
 * rule as checkConsent: a channel's state is its latest entry for that channel or for `all`.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { consentLedger, OUTBOUND_CHANNELS, type ConsentChannel, type OutboundChannel } from '../db/schema/compliance';
import { toEntry, type ConsentEntry } from './record-consent';

export type ChannelState = 'opted_out' | 'opted_in' | 'none';

export interface NumberConsent {
	phone: string;
	/** Per outbound channel: the state and the entry it rests on (with the staff member's name). */
	channels: Record<OutboundChannel, { state: ChannelState; entry: (ConsentEntry & { userName: string | null }) | null }>;
}

/** `phones` are E.164; every one gets an answer (`none` when the ledger has nothing). */
export async function consentStates(db: Db | Tx, phones: readonly string[]): Promise<Map<string, NumberConsent>> {
	const unique = [...new Set(phones)];
	const result = new Map<string, NumberConsent>();
	for (const phone of unique) {
		result.set(phone, {
			phone,
			channels: { sms: { state: 'none', entry: null }, voice: { state: 'none', entry: null } }
		});
	}
	if (unique.length === 0) return result;
	// The latest entry per (phone, channel) rides on consent_ledger_phone_latest_idx.
	const rows = await db
		.selectDistinctOn([consentLedger.phone, consentLedger.channel], { entry: consentLedger, userName: user.name })
		.from(consentLedger)
		.leftJoin(user, eq(user.id, consentLedger.userId))
		.where(inArray(consentLedger.phone, unique))
		.orderBy(consentLedger.phone, consentLedger.channel, desc(consentLedger.occurredAt), desc(consentLedger.id));
	const latest = new Map<string, Map<ConsentChannel, ConsentEntry & { userName: string | null }>>();
	for (const r of rows) {
		const byChannel = latest.get(r.entry.phone) ?? new Map<ConsentChannel, ConsentEntry & { userName: string | null }>();
		byChannel.set(r.entry.channel, { ...toEntry(r.entry), userName: r.userName });
		latest.set(r.entry.phone, byChannel);
	}
	for (const [phone, byChannel] of latest) {
		const out = result.get(phone);
		if (!out) continue;
		for (const channel of OUTBOUND_CHANNELS) {
			const candidates = [byChannel.get(channel), byChannel.get('all')].filter((e) => e !== undefined);
			const entry = candidates.sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || b.id - a.id)[0] ?? null;
			out.channels[channel] = { state: entry ? (entry.action === 'opt_out' ? 'opted_out' : 'opted_in') : 'none', entry };
		}
	}
	return result;
}

/** The outbound channels a ledger channel covers. */
export const channelsOf = (channel: ConsentChannel): OutboundChannel[] => (channel === 'all' ? [...OUTBOUND_CHANNELS] : [channel]);
