/**
 * Whether and where a call's TwiML starts a live transcription (LIVE_TRANSCRIPTION). The
 * callback URL names who speaks on the inbound track, since that depends on which leg runs the
 * `<Start>`: the caller's leg on inbound calls (inbound_track = the customer), the agent's
 * softphone leg on outbound calls (inbound_track = the agent). The query string is signed with
 * the rest of the URL, so the webhook can trust it.
 */
import type { Config } from '../env';
import type { LiveTranscriptionOptions } from './twiml';
import { VOICE_PATHS } from './voice-paths';

export type LiveSpeaker = 'customer' | 'agent';

export function liveTranscriptionFor(
	config: Pick<Config, 'publicBaseUrl' | 'liveTranscription'>,
	inboundSpeaker: LiveSpeaker
): LiveTranscriptionOptions | undefined {
	if (config.liveTranscription === 'off') return undefined;
	const url = new URL(VOICE_PATHS.transcription, config.publicBaseUrl);
	url.searchParams.set('inbound', inboundSpeaker);
	return { statusCallbackUrl: url.toString(), partialResults: config.liveTranscription === 'partial' };
}
