/**
 * Live audio between two browsers: relays a WebRTC signal from one side of a bridge to the other.
 */
import type { MediaSignal } from '../../../../media/media-signal';
import type { EngineState } from './state';

export function relayMedia(s: EngineState, callSid: string, signal: MediaSignal): boolean {
	const leg = s.legs.get(callSid);
	const bridge = leg?.bridge;
	if (!leg || !bridge || bridge.closed || !bridge.media) return false;
	const other = bridge.a === leg ? bridge.b : bridge.a;
	if (!other.party?.media) return false;
	other.party.media({ kind: 'signal', signal });
	return true;
}
