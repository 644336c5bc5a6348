/** The TwiML an agent's outbound call is answered with. Pure, tested as exact strings. */
import { CONSENT_NOTICE } from '../calls/routing-twiml';
import { dialNumber, hangup, response, say, startTranscription, type LiveTranscriptionOptions } from '../calls/twiml';
import { AGENT_LEG_EVENTS, VOICE_PATHS } from '../calls/voice-paths';

/** Seconds the customer's phone rings before the dial gives up. */
export const OUTBOUND_RING_SECONDS = 30;

/**
 * The agent's leg dials the customer from the number they know. The customer hears the
 * recording notice on answer (`<Number url>`), then both channels are recorded; the dialled
 * leg's progress and the Dial's end come back to the outbound status routes. With a live
 * transcription (liveTranscriptionFor) it starts on the agent's leg before the Dial.
 */
export function dialCustomerTwiml(input: { number: string; callerId: string; transcription?: LiveTranscriptionOptions }): string {
	return response(
		...(input.transcription ? [startTranscription(input.transcription)] : []),
		dialNumber({
			number: input.number,
			callerId: input.callerId,
			action: VOICE_PATHS.outboundDialAction,
			timeoutSeconds: OUTBOUND_RING_SECONDS,
			record: 'record-from-answer-dual',
			recordingStatusCallback: VOICE_PATHS.recording,
			statusCallback: VOICE_PATHS.outboundStatus,
			statusCallbackEvent: AGENT_LEG_EVENTS,
			url: VOICE_PATHS.outboundNotice
		})
	);
}

/** Played to the customer on answer, before the bridge. */
export function outboundNoticeTwiml(notice: string = CONSENT_NOTICE): string {
	return response(say(notice));
}

/** A refused dial: the agent hears why, and the call ends before any leg to the customer exists. */
export function refusedDialTwiml(message: string): string {
	return response(say(`Call not placed. ${message}`), hangup());
}

/** After the Dial: nothing more on the agent's leg. */
export function dialOverTwiml(): string {
	return response(hangup());
}
