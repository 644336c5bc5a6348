/**
 * A live transcription's events (Twilio `<Start><Transcription>`; LIVE_TRANSCRIPTION): each
 * delivery is recorded once in the ledger, a final line is archived (masked) in the same
 * transaction, then the line goes to hot state, where the agent's softphone and the wallboard
 * watch it. Nothing slow runs here: two archive inserts at most and one hot-state mutation.
 * A hot-state failure is logged, not retried: the archive has every final line, and the live
 * view is only a view.
 */
import { api } from '$convex/_generated/api';
import { errorDetail } from '../../errors';
import { liveTranscriptLines } from '../db/schema/transcripts';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import { maskSensitiveNumbers } from '../transcripts/mask';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import { ZTranscriptionData, type TTranscriptionEvent } from '../webhooks/voice-params';
import type { LiveSpeaker } from './live-transcription-twiml';
import type { VoiceServices } from './voice-services';

const log = logger('live-transcription');

export interface TranscriptionEventInput {
	event: TTranscriptionEvent;
	/** Who speaks on the inbound track (from the signed callback URL). */
	inbound: LiveSpeaker;
	dedupeKey: string;
	now?: Date;
}

export type TranscriptionOutcome = 'applied' | 'repeat' | 'ignored';

/** Who said a content event's line: the inbound track is the leg that ran the <Start>. */
export function speakerOf(track: 'inbound_track' | 'outbound_track', inbound: LiveSpeaker): LiveSpeaker {
	if (track === 'inbound_track') return inbound;
	return inbound === 'customer' ? 'agent' : 'customer';
}

function spokenAt(timestamp: string | undefined, now: Date): Date {
	const at = timestamp ? new Date(timestamp) : now;
	return Number.isNaN(at.getTime()) ? now : at;
}

export async function handleTranscriptionEvent(
	services: Pick<VoiceServices, 'db' | 'hot'>,
	{ event, inbound, dedupeKey, now = new Date() }: TranscriptionEventInput
): Promise<TranscriptionOutcome> {
	const kind = 'voice.transcription';
	if (event.TranscriptionEvent !== 'transcription-content') {
		if (!(await recordDeliveryOnce(services.db, dedupeKey, kind))) return 'repeat';
		if (event.TranscriptionEvent === 'transcription-error') {
			log.warn('live transcription failed at the carrier', { callSid: event.CallSid, code: event.TranscriptionErrorCode, error: event.TranscriptionError });
			return 'applied';
		}
		await hotWrite(event, () =>
			event.TranscriptionEvent === 'transcription-started'
				? services.hot.mutation(api.liveTranscript.started, { now: now.getTime() }, SYSTEM_IDENTITY)
				: services.hot.mutation(api.liveTranscript.stopped, { callSid: event.CallSid }, SYSTEM_IDENTITY)
		);
		return 'applied';
	}

	// The schema has checked Track and TranscriptionData on content events.
	const data = ZTranscriptionData.parse(JSON.parse(event.TranscriptionData ?? ''));
	const text = maskSensitiveNumbers(data.transcript.trim());
	const line = {
		callSid: event.CallSid,
		transcriptionSid: event.TranscriptionSid,
		sequenceId: event.SequenceId,
		speaker: speakerOf(event.Track === 'outbound_track' ? 'outbound_track' : 'inbound_track', inbound),
		text,
		final: event.Final === 'true',
		...(data.confidence === undefined ? {} : { confidence: data.confidence }),
		at: spokenAt(event.Timestamp, now).getTime()
	};
	const fresh = await services.db.transaction(async (tx) => {
		if (!(await recordDeliveryOnce(tx, dedupeKey, kind))) return false;
		if (line.final && text) {
			await tx
				.insert(liveTranscriptLines)
				.values({ ...line, confidence: line.confidence ?? null, spokenAt: new Date(line.at) })
				.onConflictDoNothing();
		}
		return true;
	});
	if (!fresh) return 'repeat';
	if (!text) return 'ignored';
	await hotWrite(event, () => services.hot.mutation(api.liveTranscript.addLine, line, SYSTEM_IDENTITY));
	return 'applied';
}

async function hotWrite(event: TTranscriptionEvent, write: () => Promise<unknown>): Promise<void> {
	try {
		await write();
	} catch (error) {
		log.warn('live transcript not shown: hot state refused the line', { callSid: event.CallSid, event: event.TranscriptionEvent, error: errorDetail(error) });
	}
}
