/**
 * Live audio between browsers: relays a WebRTC signal from one side of a bridge to the other, or
 * along one of a conference participant's links (conference-media.ts).
 */
import type { MediaSignal } from '../../../../media/media-signal';
import { relayConferenceMedia } from './conference-media';
import type { EngineState } from './state';

export function relayMedia(s: EngineState, callSid: string, signal: MediaSignal, peer?: string): boolean {
	const leg = s.legs.get(callSid);
	const bridge = leg?.bridge;
	if (!leg) return false;
	if (!peer && bridge && !bridge.closed && bridge.media) {
		const other = bridge.a === leg ? bridge.b : bridge.a;
		if (!other.party?.media) return false;
		other.party.media({ kind: 'signal', signal });
		return true;
	}
	return relayConferenceMedia(s, callSid, signal, peer);
}
