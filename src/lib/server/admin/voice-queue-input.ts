/**
 * What an admin may set on a queue and its number, with messages that say what to fix. The
 * number is checked and normalized to E.164 in save-voice-queue.ts (libphonenumber-js via
 * normalizePhone), since its message depends on what was typed.
 */
import { z } from 'zod';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const WEEKDAYS = ['0', '1', '2', '3', '4', '5', '6'] as const;
export const QUEUE_LIMITS = {
	name: 64,
	notice: 500,
	maxWait: { min: 10, max: 3600 },
	ring: { min: 5, max: 120 },
	wrapup: { min: 0, max: 1800 },
	slTarget: { min: 1, max: 600 },
	slPercent: { min: 1, max: 100 },
	shortAbandon: { min: 0, max: 60 },
	waitAlert: { min: 10, max: 3600 }
} as const;

function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

const ZRange = z
	.tuple([z.string().regex(TIME, 'Write times as HH:MM, e.g. 09:00.'), z.string().regex(TIME, 'Write times as HH:MM, e.g. 17:30.')])
	.refine(([from, to]) => from < to, 'Each opening range must end after it starts (e.g. 09:00 to 17:00).');

export const ZOpeningHours = z.object({
	timezone: z.string().trim().refine(isTimeZone, 'Choose a time zone such as Europe/Berlin or America/New_York.'),
	days: z.partialRecord(z.enum(WEEKDAYS), z.array(ZRange).max(4, 'At most 4 opening ranges per day.'))
});

const seconds = (label: string, { min, max }: { min: number; max: number }) =>
	z
		.number({ error: `${label} must be a number of seconds.` })
		.int(`${label} must be whole seconds.`)
		.min(min, `${label} must be at least ${min} seconds.`)
		.max(max, `${label} must be at most ${max} seconds.`);

const text = (label: string) =>
	z.string().trim().min(1, `Enter the ${label}.`).max(QUEUE_LIMITS.notice, `Keep the ${label} under ${QUEUE_LIMITS.notice} characters.`);

export const ZVoiceQueueInput = z.object({
	number: z.string().trim().min(1, 'Enter the phone number callers dial, e.g. +1 415 555 0100.'),
	name: z
		.string()
		.trim()
		.min(1, 'Enter a queue name.')
		.max(QUEUE_LIMITS.name, `Keep the queue name to ${QUEUE_LIMITS.name} characters.`)
		.regex(/^[a-z0-9][a-z0-9_-]*$/, 'Use lower-case letters, digits, - and _ for the queue name, e.g. support or billing-de.'),
	requiredSkills: z.array(z.string().trim().min(1)).max(10, 'At most 10 required skills.'),
	openingHours: ZOpeningHours.nullable(),
	maxWaitSeconds: seconds('Maximum wait', QUEUE_LIMITS.maxWait),
	ringSeconds: seconds('Ring time', QUEUE_LIMITS.ring),
	wrapupSeconds: seconds('Wrap-up time', QUEUE_LIMITS.wrapup),
	// Reporting thresholds; optional so older clients keep the stored (or default) values.
	slTargetSeconds: seconds('Service-level time (T)', QUEUE_LIMITS.slTarget).optional(),
	slTargetPercent: z
		.number({ error: 'Service-level target must be a percentage.' })
		.int('Service-level target must be a whole percentage.')
		.min(QUEUE_LIMITS.slPercent.min, 'Service-level target must be at least 1%.')
		.max(QUEUE_LIMITS.slPercent.max, 'Service-level target must be at most 100%.')
		.optional(),
	shortAbandonSeconds: seconds('Short abandon (S)', QUEUE_LIMITS.shortAbandon).optional(),
	waitAlertSeconds: seconds('Wait alert', QUEUE_LIMITS.waitAlert).optional(),
	consentNotice: text('consent notice'),
	voicemailEnabled: z.boolean(),
	voicemailGreeting: text('voicemail greeting')
});
export type TVoiceQueueInput = z.infer<typeof ZVoiceQueueInput>;

export const ZSaveVoiceQueueRequest = z.object({
	/** The number being edited; null creates a new queue. */
	originalNumber: z.string().nullable(),
	queue: ZVoiceQueueInput
});
export type TSaveVoiceQueueRequest = z.infer<typeof ZSaveVoiceQueueRequest>;
