/**
 * A voicemail's transcript as a notice to the agents of its queue, over the Broadcast port: one
 * message on `VOICEMAIL_CHANNEL` per transcribed voicemail, naming the queue, the callback task
 * and the first words (masked, like everything stored). Each agent's notice stream
 * (/api/notices) forwards the ones for queues the agent may take callbacks of
 * (callbacks/eligible-queues.ts). A notice is a nudge,
 * not state: the task and the customer's timeline read the transcript from the archive.
 */
import { and, eq } from 'drizzle-orm';
import type { BroadcastPort } from '../adapters/broadcast';
import { displayName } from '../crm/display-name';
import type { Db } from '../db/client';
import { callbackTasks } from '../db/schema/callbacks';
import { customers } from '../db/schema/crm';
import { callTranscripts } from '../db/schema/transcripts';
import { errorMessage } from '../../errors';
import { logger } from '../log';

export const VOICEMAIL_CHANNEL = 'voicemail-transcripts';
export const VOICEMAIL_EVENT = 'voicemail.transcribed';
const EXCERPT_CHARS = 160;

export interface VoicemailNotice {
	transcriptId: string;
	callId: string;
	queue: string;
	taskId: string | null;
	customerId: string | null;
	/** The customer's name, or the caller's number when unknown. */
	from: string;
	excerpt: string;
}

const log = logger('transcripts');

/** Publish the notice for a finished voicemail transcript; nothing for calls. Never throws. */
export async function announceVoicemailTranscript(deps: { db: Db; broadcast: BroadcastPort | undefined }, transcriptId: string): Promise<VoicemailNotice | null> {
	const [row] = await deps.db
		.select({ t: callTranscripts, task: callbackTasks, customer: customers })
		.from(callTranscripts)
		.leftJoin(callbackTasks, eq(callbackTasks.callId, callTranscripts.callId))
		.leftJoin(customers, eq(customers.id, callTranscripts.customerId))
		.where(and(eq(callTranscripts.id, transcriptId), eq(callTranscripts.kind, 'voicemail'), eq(callTranscripts.status, 'done')));
	const queue = row?.t.queue ?? row?.task?.queue;
	if (!row || !queue || !deps.broadcast) return null;
	const text = row.t.text.replace(/\s+/g, ' ').trim();
	const notice: VoicemailNotice = {
		transcriptId,
		callId: row.t.callId,
		queue,
		taskId: row.task?.id ?? null,
		customerId: row.t.customerId,
		from: row.customer ? displayName(row.customer) : (row.task?.callerNumber ?? 'Unknown caller'),
		excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text
	};
	try {
		await deps.broadcast.publish(VOICEMAIL_CHANNEL, VOICEMAIL_EVENT, notice);
	} catch (error) {
		log.warn('could not announce a voicemail transcript', { transcriptId, error: errorMessage(error) });
	}
	return notice;
}

function isNotice(data: unknown): data is VoicemailNotice {
	if (typeof data !== 'object' || data === null) return false;
	const d = data as Record<string, unknown>;
	return typeof d.transcriptId === 'string' && typeof d.queue === 'string' && typeof d.excerpt === 'string' && typeof d.callId === 'string';
}

/** Follow voicemail notices for the queues `queuesOf()` names (read per notice: skills change). */
export function watchVoicemails(broadcast: BroadcastPort, queuesOf: () => Promise<Set<string>>, onNotice: (notice: VoicemailNotice) => void): Promise<() => void> {
	return broadcast.subscribe(VOICEMAIL_CHANNEL, (message) => {
		if (message.name !== VOICEMAIL_EVENT || !isNotice(message.data)) return;
		const notice = message.data;
		queuesOf().then(
			(queues) => {
				if (queues.has(notice.queue)) onNotice(notice);
			},
			(error: unknown) => log.warn('could not read the agent queues for a voicemail notice', { error: errorMessage(error) })
		);
	});
}
