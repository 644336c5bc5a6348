/**
 * Managers put a number on the Do-Not-Contact list, or take it off, by hand and with a reason.
 * Both are ledger entries (source `agent`, the manager as user), so the trail keeps them.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { CONSENT_CHANNELS, CONSENT_REASON_MAX } from '../db/schema/compliance';
import { badRequest } from '../errors';
import { recordConsent, type ConsentEntry } from './record-consent';

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

/** Do not call or text `phone` (on `channel`) from now on. */
export async function addToDoNotContact(db: Db, actor: { id: string }, input: ManualConsentInput): Promise<ConsentEntry> {
	const fields = parse(input);
	return recordConsent(db, { ...fields, action: 'opt_out', source: 'agent', userId: actor.id });
}

/** Allow contact again; the earlier opt-out stays in the trail. */
export async function removeFromDoNotContact(db: Db, actor: { id: string }, input: ManualConsentInput): Promise<ConsentEntry> {
	const fields = parse(input);
	return recordConsent(db, { ...fields, action: 'opt_in', source: 'agent', userId: actor.id });
}
