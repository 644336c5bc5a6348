/** The softphone's state shapes (the call on the line, wrap-ups, a dial's result), shared by the state and its components. */
import type { MediaState } from '$lib/media/media-signal';
import type { AudioChoice } from './audio-devices';
import type { SoftphoneDevice } from './device';
import type { SoftphoneTokenResponse } from './protocol';

export type Registration = 'unregistered' | 'registering' | 'ready' | 'error' | 'no-microphone';

export interface CurrentCall {
	/** '' while an outgoing call is dialling (the carrier has not given it one yet). */
	callSid: string;
	/** `inbound`: offered to this softphone; `outbound`: the agent placed it (dial). */
	direction: 'inbound' | 'outbound';
	/** The other party's number: the caller, or for an outbound call the number dialled. */
	from: string;
	to: string;
	/** Screen pop from `<Parameter>`s (customerName, company, customerId, queue...), or an outbound call's own parameters. */
	customParameters: Record<string, string>;
	/**
	 * `ringing`: an incoming call offered here (Accept/Decline). `connecting`: answering, or an
	 * outbound call on its way (`progress` says where). `active`: talking.
	 */
	phase: 'ringing' | 'connecting' | 'active';
	/** An outbound call before it is answered: `dialling` (placing it), `ringing` (their phone rings); null otherwise. */
	progress: 'dialling' | 'ringing' | null;
	/** Epoch ms when the call was answered. */
	startedAt: number | null;
	muted: boolean;
	/** Digits sent on this call, for the keypad's display. */
	digits: string;
	/** The call recording's state once connected (routed calls are recorded from answer); null when not recorded. */
	recording: 'on' | 'paused' | null;
	/** The audio link to the other person's browser (local carrier only); null when there is none to show. */
	audio: { state: MediaState; receiving: boolean } | null;
}

/** An answered call that ended, waiting for the agent's disposition and notes. */
export interface WrapUp {
	/** The caller's CallSid (the archive's key for the call). */
	callSid: string;
	from: string;
	customerName: string | null;
	/**
	 * `wrapping` while the agent is in wrap-up (no calls offered); `ready` once they are available
	 * again, by Ready now (`readyBy: 'agent'`) or because the queue's wrap-up time ran out
	 * (`'timeout'`). The form still saves when ready.
	 */
	state: 'wrapping' | 'ready';
	readyBy: 'agent' | 'timeout' | null;
	/** When the wrap-up time runs out (epoch ms, from hot state); null until hot state has said. */
	endsAt: number | null;
	/** Hot state has shown this call in wrap-up, so its leaving there means the agent is available. */
	seenLive: boolean;
	/** The form's fields, kept per call so a second pending wrap-up never mixes them up. */
	disposition: string;
	notes: string;
	/** A first agent's wrap-up after a transfer took them off the call: the call's CallSid (callSid is their hand-off's). */
	handoffOf?: string;
}

/** A call in wrap-up as hot state has it (convex callWrapup.myWrapups). */
export interface LiveWrapUp {
	callSid: string;
	from: string;
	customerName: string | null;
	wrapupEndsAt: number | null;
	/** Set for a first agent's wrap-up after a transfer took them off the call: that call's CallSid. */
	handoffOf?: string | null;
}

/**
 * How an outbound call that never connected ended, for the agent: `busy`, `no-answer`, `failed`
 * (with the reason), `canceled` (the agent hung up first), or `ended` (it ended unanswered and the
 * carrier did not say why).
 */
export interface DialResult {
	to: string;
	callSid: string | null;
	status: 'busy' | 'no-answer' | 'failed' | 'canceled' | 'ended';
	message: string;
}

export interface SoftphoneOptions {
	fetch?: typeof fetch;
	/** Builds the device for a token (tests pass a fake). */
	createDevice?: (token: SoftphoneTokenResponse) => Promise<SoftphoneDevice>;
	/** Reports softphone health; defaults to the agent_status heartbeat. */
	heartbeat?: (state: Registration) => Promise<unknown>;
	heartbeatMs?: number;
	/**
	 * Claims a ringing call in hot state before the device answers it (convex callLine.acceptCall:
	 * one winner, agent marked busy). Rejects when another agent has it.
	 */
	claim?: (parentCallSid: string) => Promise<unknown>;
	/** Reads the microphone permission ('granted' | 'denied' | 'prompt'); null when the browser cannot tell. */
	microphonePermission?: () => Promise<PermissionState | null>;
	/** Pauses or resumes the call's recording on the server (calls.setRecording; the server checks who may). */
	setRecording?: (parentCallSid: string, paused: boolean) => Promise<{ recording: 'on' | 'paused' }>;
	/** Ends wrap-up now on the server (calls.readyNow), so calls are offered again. */
	readyNow?: (parentCallSid: string) => Promise<unknown>;
	/** Waits between failed token refreshes (token-refresh.ts); tests shorten them. */
	tokenRetryDelaysMs?: readonly number[];
	/** The microphone and speaker chosen in Settings (audio-devices.ts: this browser's localStorage). */
	audioChoice?: () => AudioChoice;
	/** Where a microphone plugged in after 31402 is noticed; navigator.mediaDevices by default. */
	mediaDevices?: Pick<MediaDevices, 'addEventListener' | 'removeEventListener'> | null;
}

/** The CallSid the archive keeps the call under: the caller's (routed inbound calls carry it), or an outbound call's own. */
export function archiveSid(call: CurrentCall): string | undefined {
	return call.direction === 'outbound' ? call.callSid || undefined : call.customParameters.callSid;
}

const DIAL_MESSAGES: Record<DialResult['status'], string> = {
	busy: 'The line is busy.',
	'no-answer': 'No answer.',
	failed: 'The call could not be connected.',
	canceled: 'You hung up before they answered.',
	ended: 'The call ended before it was answered.'
};

export function dialOutcome(status: DialResult['status'], reason?: string): Omit<DialResult, 'to' | 'callSid'> {
	return { status, message: reason ? `${DIAL_MESSAGES[status]} ${reason}` : DIAL_MESSAGES[status] };
}

/** `m:ss`, or `h:mm:ss` past an hour. */
export function formatDuration(totalSeconds: number): string {
	const h = Math.floor(totalSeconds / 3600);
	const m = Math.floor((totalSeconds % 3600) / 60);
	const s = totalSeconds % 60;
	const ss = String(s).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
