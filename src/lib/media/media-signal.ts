/**
 * WebRTC signaling for calls on the local carrier: when the carrier bridges two people whose
 * browsers can carry audio (an agent's softphone, the customer phone page), it tells each one
 * its role and relays their offer, answer and ICE candidates to the other. Twilio carries the
 * audio itself, so none of this exists with TELEPHONY=twilio. Shared by the carrier (server)
 * and the browsers.
 */

export interface MediaDescription {
	type: 'offer' | 'answer';
	sdp: string;
}

export interface MediaCandidate {
	candidate: string;
	sdpMid: string | null;
	sdpMLineIndex: number | null;
}

/** One signaling message between the two browsers: a session description or an ICE candidate. */
export type MediaSignal = { description: MediaDescription } | { candidate: MediaCandidate };

/**
 * What the carrier tells one side of a bridge: `start` when the bridge forms (the `offer` side
 * makes the WebRTC offer), `signal` with a message from the other side, `end` when the bridge
 * closes (hang-up, transfer, a move into a conference). In a conference a call may have several
 * links, one per participant it hears or is heard by: each event then names that participant's
 * call SID as `peer` (signals sent back name it too), and `start` says whether this side sends
 * its microphone (`send`) and plays what arrives (`receive`); both default to true. A coached
 * agent hears the coach, the customer does not: the coach's link to the customer is one-way.
 */
export type MediaEvent =
	| { kind: 'start'; role: 'offer' | 'answer'; peer?: string; send?: boolean; receive?: boolean }
	| { kind: 'signal'; signal: MediaSignal; peer?: string }
	| { kind: 'end'; peer?: string };

/** Limits on what a browser may send for relaying (an audio-only SDP is a few kilobytes). */
export const MEDIA_SDP_MAX = 20_000;
export const MEDIA_CANDIDATE_MAX = 1_000;

/**
 * The audio of one call as a person sees it: `connecting` until the browsers' link is up,
 * `connected` while it is, `no-microphone` when this browser has none to send (the other side is
 * still heard), `failed` when no link could be made, `ended` once the bridge closed.
 */
export type MediaState = 'connecting' | 'connected' | 'no-microphone' | 'failed' | 'ended';
