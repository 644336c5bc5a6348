/**
 * A message's MMS attachments as the inbox shows them: stored files with a short-lived signed URL
 * of our own storage (images inline, the rest downloaded under a plain file name), pending ones
 * as "loading", failed ones with the reason. The carrier's MediaUrl never leaves the server.
 */
import { asc, inArray } from 'drizzle-orm';
import type { StoragePort } from '../adapters/storage/port';
import type { Db } from '../db/client';
import { smsAttachments, type SmsAttachmentStatus } from '../db/schema/sms';
import { extensionFor, isInlineImage } from './fetch-mms-media';

/** As long as a recording's play link: enough to load the thread, short enough to leak little. */
export const ATTACHMENT_URL_SECONDS = 300;

export interface MessageAttachmentView {
	id: string;
	messageId: string;
	index: number;
	contentType: string;
	sizeBytes: number | null;
	status: SmsAttachmentStatus;
	/** Why it is not shown (failed), or what the last attempt ran into (pending, retrying). */
	error: string | null;
	/** Show as an image (true) or offer as a download. */
	inline: boolean;
	/** The file name a download gets. */
	fileName: string;
	/** Signed URL of our own storage, for stored files only. */
	url: string | null;
	/** When `url` stops working (ISO). */
	expiresAt: string | null;
}

export async function listMessageAttachments(
	deps: { db: Db; storage: Pick<StoragePort, 'signedUrl'> },
	messageIds: readonly string[],
	now = new Date()
): Promise<MessageAttachmentView[]> {
	if (messageIds.length === 0) return [];
	const rows = await deps.db
		.select()
		.from(smsAttachments)
		.where(inArray(smsAttachments.messageId, [...messageIds]))
		.orderBy(asc(smsAttachments.messageId), asc(smsAttachments.index));
	const expiresAt = new Date(now.getTime() + ATTACHMENT_URL_SECONDS * 1000).toISOString();
	return Promise.all(
		rows.map(async (row) => {
			const inline = isInlineImage(row.contentType);
			const fileName = `attachment-${row.index + 1}.${extensionFor(row.contentType)}`;
			const stored = row.status === 'stored' && row.storageKey !== null;
			const url = stored
				? await deps.storage.signedUrl(row.storageKey ?? '', {
						expiresInSeconds: ATTACHMENT_URL_SECONDS,
						// Anything not shown inline is downloaded, never opened as a page of our origin.
						...(inline ? {} : { downloadName: fileName })
					})
				: null;
			return {
				id: row.id,
				messageId: row.messageId,
				index: row.index,
				contentType: row.contentType,
				sizeBytes: row.sizeBytes,
				status: row.status,
				error: row.error,
				inline,
				fileName,
				url,
				expiresAt: url ? expiresAt : null
			};
		})
	);
}

