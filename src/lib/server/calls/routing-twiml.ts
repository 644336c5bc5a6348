/** Turns a hot-state routing decision into the TwiML the carrier runs next. Pure. */
import type { VoiceQueue } from './find-voice-queue';
import { agentClientIdentity } from './caller-number';
import type { CallerView } from './call-archive';
import { dialClient, enqueue, hangup, record, reject, response, say, startTranscription, type LiveTranscriptionOptions } from './twiml';
import { AGENT_LEG_EVENTS, VOICE_PATHS } from './voice-paths';

export const CONSENT_NOTICE = 'This call may be recorded for quality and training.';
export const VOICEMAIL_PROMPT = 'Sorry, nobody can take your call right now. Please leave a message after the tone.';
export const NOT_IN_SERVICE = 'The number you have called is not in service.';
/** Where callers wait when Switchboard itself fails mid-request (agents can still dequeue from it). */
export const FALLBACK_QUEUE = 'support';
export const TECHNICAL_TROUBLE = 'Sorry, we are having technical trouble. Please hold while we connect you.';

export type RoutingDecision =
	| { kind: 'offered'; agentId: string; agentName: string; attempts: number }
	| { kind: 'queued'; queueName: string; position: number }
	| { kind: 'accepted'; agentId: string }
	| { kind: 'ended' };

export interface RoutingTwimlInput {
	decision: RoutingDecision;
	callSid: string;
	from: string;
	/** The queue's own consent notice when known (the first answer has the whole row). */
	queue: Pick<VoiceQueue, 'name' | 'ringSeconds'> & { consentNotice?: string };
	caller: CallerView | null;
	/** Say the recording notice first (the first answer to a call; not on re-routes). */
	notice: boolean;
	/**
	 * Start a live transcription after the notice (liveTranscriptionFor; absent when
	 * LIVE_TRANSCRIPTION=off). Only on the first answer: it runs until the call ends.
	 */
	transcription?: LiveTranscriptionOptions;
}

/** Twilio's limits on `<Parameter>`: each value at most 128 bytes, at most 8 per `<Dial>`. */
export const PARAMETER_VALUE_MAX_BYTES = 128;
export const PARAMETERS_MAX = 8;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to at most `maxBytes` of UTF-8, never inside a character (nor a grapheme cluster). */
export function truncateUtf8(text: string, maxBytes: number): string {
	if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
	let out = '';
	let bytes = 0;
	for (const { segment } of graphemes.segment(text)) {
		const size = Buffer.byteLength(segment, 'utf8');
		if (bytes + size > maxBytes) break;
		out += segment;
		bytes += size;
	}
	return out;
}

/**
 * The caller's details as `<Parameter>`s: the softphone shows them before the record loads.
 * Names and companies are cut to Twilio's 128 bytes; longer values would fail the call's TwiML.
 */
function screenPop(input: RoutingTwimlInput): Record<string, string> {
	const p: Record<string, string> = { callSid: input.callSid, from: input.from, queue: input.queue.name };
	if (input.caller) {
		p.customerId = input.caller.customerId;
		p.customerName = input.caller.name;
		if (input.caller.company) p.company = input.caller.company;
	}
	return Object.fromEntries(
		Object.entries(p)
			.slice(0, PARAMETERS_MAX)
			.map(([name, value]) => [name, truncateUtf8(value, PARAMETER_VALUE_MAX_BYTES)])
	);
}

export function routingTwiml(input: RoutingTwimlInput): string {
	const notice = input.notice ? [say(input.queue.consentNotice ?? CONSENT_NOTICE)] : [];
	if (input.notice && input.transcription) notice.push(startTranscription(input.transcription));
	const { decision } = input;
	if (decision.kind === 'offered' || decision.kind === 'accepted') {
		return response(
			...notice,
			dialClient({
				answerOnBridge: true,
				action: VOICE_PATHS.dialAction,
				timeoutSeconds: input.queue.ringSeconds,
				record: 'record-from-answer-dual',
				recordingStatusCallback: VOICE_PATHS.recording,
				statusCallback: VOICE_PATHS.status,
				statusCallbackEvent: AGENT_LEG_EVENTS,
				identity: agentClientIdentity(decision.agentId),
				parameters: screenPop(input)
			})
		);
	}
	if (decision.kind === 'queued') {
		return response(...notice, enqueue(input.queue.name, { waitUrl: VOICE_PATHS.wait, action: VOICE_PATHS.enqueueAction }));
	}
	return response(hangup());
}

export const NO_VOICEMAIL = 'Sorry, nobody can take your call right now. Please call again later.';

/** What a queue says instead of an agent; unknown queues take messages with the default greeting. */
export type VoicemailSettings = Pick<VoiceQueue, 'voicemailEnabled' | 'voicemailGreeting'>;

/**
 * Closed, or waited too long: take a message (its transcription comes with the transcription
 * issue), or, where the queue has voicemail off, say so and hang up.
 */
export function voicemailTwiml(settings?: VoicemailSettings | null): string {
	if (settings && !settings.voicemailEnabled) return response(say(NO_VOICEMAIL), hangup());
	return response(
		say(settings?.voicemailGreeting || VOICEMAIL_PROMPT),
		record({
			maxLength: 120,
			playBeep: true,
			recordingStatusCallback: VOICE_PATHS.recording,
			recordingStatusCallbackEvent: 'completed absent',
			action: VOICE_PATHS.voicemailDone
		})
	);
}

/** A number Switchboard does not route: refuse it cleanly (the carrier plays its own message). */
export function notOurNumberTwiml(): string {
	return response(reject());
}

/** A retried first request for a call the archive has already closed: nothing left to route. */
export function callOverTwiml(): string {
	return response(hangup());
}

/** When the archive or hot state fails mid-call: keep the caller in the number's queue rather than drop them. */
export function fallbackTwiml(queueName: string): string {
	return response(say(TECHNICAL_TROUBLE), enqueue(queueName, { waitUrl: VOICE_PATHS.wait, action: VOICE_PATHS.enqueueAction }));
}
