/**
 * Recordings of bridges and calls: rendering the WAV, their callback fields, and pausing or
 * resuming one over REST.
 */
import { resourceNotFound } from './carrier-error';
import { type Pause, renderConversation, type Utterance } from './audio';
import { rfc2822 } from './local-carrier';
import { DeviceCall, type ScriptLine } from './parties';
import type { EngineState, Leg } from './state';

/**
 * REST `Calls/{CallSid}/Recordings/{Sid|Twilio.CURRENT}` update: pause or resume the recording
 * running on the call's bridge (the caller's leg or the agent's). Repeating the current state
 * changes nothing, as on Twilio.
 */
export function updateCallRecording(s: EngineState, callSid: string, recordingSid: string, input: { status: 'paused' | 'in-progress'; pauseBehavior?: 'skip' | 'silence' }) {
	const bridge = s.legs.get(callSid)?.bridge;
	if (!bridge || bridge.closed || !bridge.recordingSid || (recordingSid !== 'Twilio.CURRENT' && recordingSid !== bridge.recordingSid)) {
		throw resourceNotFound(`/Calls/${callSid}/Recordings/${recordingSid}`, 'no recording is in progress on this call.');
	}
	const now = s.clock.now().getTime();
	const open = bridge.pauses.at(-1);
	const paused = open !== undefined && open.until === null;
	if (input.status === 'paused' && !paused) bridge.pauses.push({ from: now, until: null, skip: input.pauseBehavior === 'skip' });
	if (input.status === 'in-progress' && open && paused) open.until = now;
	return { sid: bridge.recordingSid, callSid: bridge.a.sid, status: input.status };
}

/** Utterances of the scripts on `a` (channel 0) and `b` (channel 1). */
export function utterances(a: Leg, b: Leg | null): Utterance[] {
	const out: Utterance[] = [];
	const ownSpeaker = (leg: Leg): ScriptLine['speaker'] => (leg.party instanceof DeviceCall ? 'agent' : 'customer');
	const scripted = a.script.length ? a : b?.script.length ? b : null;
	if (!scripted) return out;
	const own = ownSpeaker(scripted);
	for (const line of scripted.script) {
		const onScripted = line.speaker === own;
		const channel = (scripted === a) === onScripted ? 0 : 1;
		out.push({ channel, text: line.text });
	}
	return out;
}

export async function makeRecording(
	s: EngineState,
	a: Leg,
	seconds: number,
	channels: 1 | 2,
	b: Leg | null,
	source: string,
	extra: { sid?: string | null; pauses?: Pause[]; durationSeconds?: number } = {}
): Promise<{ url: string; sid: string }> {
	const body = await s.clock.track(renderConversation({ seconds: Math.max(1, seconds), channels, utterances: utterances(a, b), pauses: extra.pauses ?? [] }));
	const rec = s.carrier.addRecording({
		callSid: a.sid,
		body,
		durationSeconds: extra.durationSeconds ?? seconds,
		channels,
		source,
		...(extra.sid ? { sid: extra.sid } : {})
	});
	return { url: rec.url, sid: rec.sid };
}

export function recordingParams(s: EngineState, leg: Leg, rec: { url: string; sid: string }, seconds: number, channels: 1 | 2, source: string, startedAt: number): Record<string, string> {
	return {
		AccountSid: s.carrier.accountSid,
		CallSid: leg.sid,
		ErrorCode: '0',
		RecordingChannels: String(channels),
		RecordingDuration: String(seconds),
		RecordingSid: rec.sid,
		RecordingSource: source,
		RecordingStartTime: rfc2822(new Date(startedAt)),
		RecordingStatus: 'completed',
		RecordingTrack: 'both',
		RecordingUrl: rec.url
	};
}
