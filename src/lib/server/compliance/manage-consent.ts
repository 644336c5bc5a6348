/**
 * Managers put a number on the Do-Not-Contact list, or take it off, by hand and with a reason.
 * Both are ledger entries (source `agent`, the manager as user), so the trail keeps them. An
 * entry that would change nothing (adding a number already on the list for those channels,
 * removing one that is not on it) is refused with the state it is in, so the trail stays true.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { CONSENT_CHANNELS, CONSENT_REASON_MAX } from '../db/schema/compliance';
import { normalizePhone } from '../crm/normalize-phone';
import { AppError, badRequest } from '../errors';
import { channelsOf, consentStates } from './consent-states';
import { formatInternational } from './format';
import { lockPhone, recordConsent, type ConsentEntry } from './record-consent';

export const ZManualConsentInput = z.object({
	phone: z.string().max(40, { error: 'Phone number is too long (at most 40 characters).' }),
	/** Defaults to both channels. */
	channel: z.enum(CONSENT_CHANNELS).default('all'),
	reason: z
		.string()
		.trim()
		.min(3, { error: 'Give a reason (at least 3 characters); it is kept in the audit trail.' })
		.max(CONSENT_REASON_MAX, { error: `A reason is at most ${CONSENT_REASON_MAX} characters.` })
});
export type ManualConsentInput = z.input<typeof ZManualConsentInput>;

function parse(input: ManualConsentInput) {
	const parsed = ZManualConsentInput.safeParse(input);
	if (!parsed.success) throw badRequest('INVALID_CONSENT_ENTRY', parsed.error.issues[0]?.message ?? 'Invalid entry.');
	return parsed.data;
}

const CHANNEL_WORDS = { all: 'texts and calls', sms: 'texts', voice: 'calls' } as const;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Record the manual entry under the number's lock, unless it would change nothing. */
async function manualEntry(db: Db, actor: { id: string }, input: ManualConsentInput, action: 'opt_out' | 'opt_in'): Promise<ConsentEntry> {
	const fields = parse(input);
	const phone = normalizePhone(fields.phone).e164;
	return db.transaction(async (tx) => {
		await lockPhone(tx, phone);
		const state = (await consentStates(tx, [phone])).get(phone);
		const covered = channelsOf(fields.channel).map((c) => state?.channels[c]);
		const who = formatInternational(phone);
		if (action === 'opt_out' && covered.every((c) => c?.state === 'opted_out')) {
			const since = covered[0]?.entry?.occurredAt;
			throw new AppError(
				'CONFLICT',
				'ALREADY_LISTED',
				`${who} is already on the Do-Not-Contact list for ${CHANNEL_WORDS[fields.channel]}${since ? ` (since ${day(since)})` : ''}; nothing changed.`
			);
		}
		if (action === 'opt_in' && !covered.some((c) => c?.state === 'opted_out')) {
			throw new AppError('CONFLICT', 'NOT_LISTED', `${who} is not on the Do-Not-Contact list for ${CHANNEL_WORDS[fields.channel]}; nothing to remove.`);
		}
		return recordConsent(tx, { ...fields, phone, action, source: 'agent', userId: actor.id });
	});
}

/** Do not call or text `phone` (on `channel`) from now on. */
export function addToDoNotContact(db: Db, actor: { id: string }, input: ManualConsentInput): Promise<ConsentEntry> {
	return manualEntry(db, actor, input, 'opt_out');
}

/**
 * Allow contact again; the earlier opt-out stays in the trail. A customer's own STOP still
 * blocks texts at the carrier (Twilio answers 21610, which records a new entry) until they text START.
 */
export function removeFromDoNotContact(db: Db, actor: { id: string }, input: ManualConsentInput): Promise<ConsentEntry> {
	return manualEntry(db, actor, input, 'opt_in');
}
