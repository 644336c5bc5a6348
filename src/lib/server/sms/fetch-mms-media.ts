/**
 * The `fetch-mms-media` job: an inbound MMS's media files move from the carrier into the Storage
 * port, so the inbox shows them from our own short-lived signed URLs and never from the carrier.
 * The inbound webhook writes one `pending` sms_attachments row per MediaUrl and queues this job
 * in the same transaction, so it answers at once. The adapter (TelephonyPort.fetchMedia) asks only
 * the carrier's media hosts, with the account's credentials; this module decides what is worth
 * keeping (MMS_LIMITS: Twilio's 5 MB, images, audio, video, PDF, vCards and plain text) and where.
 *
 * A file that can never be fetched (another host, a refused type, too large, a 4xx) fails at
 * once with the reason; a 5xx, 429 or network failure is retried with back-off (pg-boss) and only
 * the files still pending are fetched again. The last attempt marks what is left failed.
 * A stored file is deleted at the carrier (unless DELETE_CARRIER_COPIES=false): Twilio keeps
 * media until deleted, and personal data should live in one place. A failed delete is logged.
 */
import { and, asc, eq } from 'drizzle-orm';
import { AdapterError } from '../adapters/errors';
import type { StoragePort } from '../adapters/storage/port';
import type { MediaLimits, TelephonyPort } from '../adapters/telephony/port';
import type { Db, Tx } from '../db/client';
import { smsAttachments, smsMessages } from '../db/schema/sms';
import { logger } from '../log';

const log = logger('sms');

export interface FetchMmsMediaData {
	/** The inbound message (sms_messages.id) whose pending attachments to fetch. */
	messageId: string;
}

/** The one job the inbound webhook queues (jobs/jobs.ts `Jobs` fits; spelled out so sms/ does not import jobs/). */
export interface MmsMediaQueue {
	enqueue(tx: Tx | Db, name: 'fetch-mms-media', data: FetchMmsMediaData): Promise<string>;
}

/** Twilio's limit for an MMS's media. */
export const MMS_MAX_BYTES = 5_000_000;

/** Types an agent's browser can safely show or download. No SVG or HTML: they can carry script. */
const ACCEPTED = [
	/^image\/(jpeg|png|gif|webp|bmp|heic|heif)$/,
	/^audio\/[a-z0-9.+-]+$/,
	/^video\/[a-z0-9.+-]+$/,
	/^application\/pdf$/,
	/^text\/(vcard|x-vcard|directory|plain|calendar)$/
];

export const MMS_LIMITS: MediaLimits = {
	maxBytes: MMS_MAX_BYTES,
	accept: (type) => ACCEPTED.some((re) => re.test(type)),
	acceptedDescription: 'images (JPEG, PNG, GIF, WebP, BMP, HEIC), audio, video, PDF, vCards or plain text'
};

/** Raster images the inbox shows inline; everything else is a download link. */
export function isInlineImage(contentType: string): boolean {
	return /^image\/(jpeg|png|gif|webp|bmp)$/.test(contentType);
}

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/gif': 'gif',
	'image/webp': 'webp',
	'image/bmp': 'bmp',
	'image/heic': 'heic',
	'image/heif': 'heif',
	'application/pdf': 'pdf',
	'text/vcard': 'vcf',
	'text/x-vcard': 'vcf',
	'text/directory': 'vcf',
	'text/plain': 'txt',
	'text/calendar': 'ics',
	'audio/mpeg': 'mp3',
	'audio/ogg': 'ogg',
	'audio/amr': 'amr',
	'audio/wav': 'wav',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'video/quicktime': 'mov'
};

export function extensionFor(contentType: string): string {
	return EXTENSIONS[contentType] ?? 'bin';
}

/** `mms/<message id>/<N>.<ext>`: one folder per message. */
export function attachmentKey(messageId: string, index: number, contentType: string): string {
	return `mms/${messageId}/${index}.${extensionFor(contentType)}`;
}

/** A failure worth another try: the carrier or storage was down, not the file refused. */
function retryable(error: unknown): boolean {
	return error instanceof AdapterError ? error.retryable : true;
}

function reasonOf(error: unknown): string {
	if (error instanceof AdapterError) return error.message;
	return 'Switchboard could not store this file.';
}

export interface FetchMmsMediaDeps {
	db: Db;
	adapters: { telephony: Pick<TelephonyPort, 'fetchMedia' | 'deleteMedia'>; storage: Pick<StoragePort, 'put'> };
	/** `deleteCarrierCopies` false keeps the carrier's copy; default true. */
	settings?: { deleteCarrierCopies?: boolean };
}

/** pg-boss entry point (see the module comment). Throws to be retried while a retryable failure is left. */
export async function fetchMmsMediaJob(deps: FetchMmsMediaDeps, data: FetchMmsMediaData, job: { lastAttempt: boolean }): Promise<void> {
	const { db, adapters } = deps;
	const [message] = await db.select({ id: smsMessages.id }).from(smsMessages).where(eq(smsMessages.id, data.messageId));
	if (!message) return;
	const pending = await db
		.select()
		.from(smsAttachments)
		.where(and(eq(smsAttachments.messageId, data.messageId), eq(smsAttachments.status, 'pending')))
		.orderBy(asc(smsAttachments.index));
	let retry: Error | null = null;
	for (const attachment of pending) {
		const attempts = attachment.attempts + 1;
		try {
			const media = await adapters.telephony.fetchMedia(attachment.sourceUrl, MMS_LIMITS);
			const key = attachmentKey(message.id, attachment.index, media.contentType);
			const info = await adapters.storage.put(key, media.body, media.contentType);
			await db
				.update(smsAttachments)
				.set({
					status: 'stored',
					contentType: media.contentType,
					sizeBytes: info.size,
					storageKey: key,
					error: null,
					attempts,
					storedAt: new Date()
				})
				.where(eq(smsAttachments.id, attachment.id));
			if (deps.settings?.deleteCarrierCopies !== false) await deleteCarrierMedia(adapters.telephony, message.id, attachment);
		} catch (error) {
			const again = retryable(error);
			const final = !again || job.lastAttempt;
			const reason = again && final ? `${reasonOf(error)} Switchboard gave up after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}.` : reasonOf(error);
			await db
				.update(smsAttachments)
				.set({ attempts, error: reason, ...(final ? { status: 'failed' as const } : {}) })
				.where(eq(smsAttachments.id, attachment.id));
			if (final) log.warn('sms: an MMS attachment could not be stored', { messageId: message.id, index: attachment.index, attempts, error: reason });
			else retry ??= error instanceof Error ? error : new Error(reason);
		}
	}
	if (retry) throw retry;
}

async function deleteCarrierMedia(
	telephony: Pick<TelephonyPort, 'deleteMedia'>,
	messageId: string,
	attachment: { index: number; sourceUrl: string }
): Promise<void> {
	try {
		await telephony.deleteMedia(attachment.sourceUrl);
	} catch (error) {
		log.warn('sms: an MMS attachment is stored, but the carrier copy could not be deleted', {
			messageId,
			index: attachment.index,
			error: error instanceof Error ? error.message : String(error)
		});
	}
}
