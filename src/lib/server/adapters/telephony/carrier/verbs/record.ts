/**
 * <Record>: records the caller's scripted lines after a beep until finishOnKey, silence or
 * maxLength, then sends the recording (and transcription) callbacks and requests the action.
 */
import { estimateSpeechSeconds, renderConversation } from '../audio';
import { Interrupted } from '../clock';
import { hear, legParams } from '../legs';
import type { ScriptLine } from '../parties';
import { recordingParams } from '../recordings';
import { loadTwiml, warn } from '../runtime';
import type { EngineState, Leg, Source, Step } from '../state';
import type { XmlElement } from '../twiml';
import { attrBool, attrNum, HANGUP, method, newSid, resolve, wait } from '../util';

interface Take {
	/** The key that ended the recording, `hangup`, or ''. */
	digits: string;
	hungUp: boolean;
	seconds: number;
	startedAt: number;
}

export async function record(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
	if (attrBool(verb.attrs.playBeep, true)) hear(leg, '[beep]');
	const lines = leg.script.filter((l) => l.speaker === 'customer');
	leg.script = leg.script.filter((l) => l.speaker !== 'customer');
	const take = await listen(s, leg, verb, signal, lines);
	const statusCallback = verb.attrs.recordingStatusCallback ? resolve(s, verb.attrs.recordingStatusCallback, docUrl) : null;
	const events = (verb.attrs.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
	if (take.seconds < 1) {
		if (statusCallback && events.includes('absent')) {
			s.dispatcher.notify({
				kind: 'recording-status',
				url: statusCallback,
				method: method(verb.attrs.recordingStatusCallbackMethod),
				params: { AccountSid: s.carrier.accountSid, CallSid: leg.sid, ErrorCode: '0', RecordingSource: 'RecordVerb', RecordingStatus: 'absent' }
			});
		}
		if (take.hungUp) throw new Interrupted(HANGUP);
		return 'continue';
	}
	const body = await s.clock.track(renderConversation({ seconds: take.seconds, channels: 1, utterances: lines.map((l) => ({ channel: 0, text: l.text })) }));
	const rec = s.carrier.addRecording({ callSid: leg.sid, body, durationSeconds: take.seconds, channels: 1, source: 'RecordVerb' });
	if (statusCallback && events.includes('completed')) {
		s.dispatcher.notify({
			kind: 'recording-status',
			url: statusCallback,
			method: method(verb.attrs.recordingStatusCallbackMethod),
			params: recordingParams(s, leg, rec, take.seconds, 1, 'RecordVerb', take.startedAt),
			callSid: leg.sid
		});
	}
	transcribe(s, leg, verb, docUrl, rec, take.seconds, lines);
	const next = nextDocument(s, leg, verb, docUrl, { RecordingUrl: rec.url, RecordingDuration: String(take.seconds), RecordingSid: rec.sid, Digits: take.digits });
	if (next === 'end') return 'end';
	if (take.hungUp) {
		// Twilio still requests the action after the caller hung up; the answer is ignored.
		await loadTwiml(s, leg, { ...next, notifyOnly: true }, new AbortController().signal);
		throw new Interrupted(HANGUP);
	}
	return { next };
}

/** Wait while the caller speaks, then for silence, either cut short by a finishOnKey key (or the caller hanging up). */
async function listen(s: EngineState, leg: Leg, verb: XmlElement, signal: AbortSignal, lines: ScriptLine[]): Promise<Take> {
	const maxLength = attrNum(verb.attrs.maxLength, 3600);
	const silenceMs = attrNum(verb.attrs.timeout, 5) * 1000;
	const finishOnKey = verb.attrs.finishOnKey ?? '1234567890*#';
	const speechSeconds = Math.min(maxLength, lines.length ? lines.reduce((sum, l) => sum + estimateSpeechSeconds(l.text), 0) : 3);
	const startedAt = s.clock.now().getTime();
	leg.digits = '';
	let digits = '';
	let hungUp = false;
	const keyPressed = (wake: () => void) => {
		const check = () => {
			if ([...leg.digits].some((d) => finishOnKey.includes(d))) wake();
		};
		check();
		leg.digitListeners.add(check);
		return () => leg.digitListeners.delete(check);
	};
	try {
		if (await wait(s, speechSeconds * 1000, signal, keyPressed)) digits = [...leg.digits].find((d) => finishOnKey.includes(d)) ?? '';
		else if (speechSeconds < maxLength && (await wait(s, silenceMs, signal, keyPressed))) digits = [...leg.digits].find((d) => finishOnKey.includes(d)) ?? '';
	} catch (err) {
		if (!(err instanceof Interrupted) || err.reason !== HANGUP) throw err;
		hungUp = true;
		digits = 'hangup';
	}
	leg.digits = '';
	const seconds = Math.min(speechSeconds, Math.round((s.clock.now().getTime() - startedAt) / 1000));
	return { digits, hungUp, seconds, startedAt };
}

/** `transcribe`/`transcribeCallback`: the transcription callback, with the scripted text when Twilio would transcribe it (2 to 120 s). */
function transcribe(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string, rec: { url: string; sid: string }, seconds: number, lines: ScriptLine[]): void {
	if (!(attrBool(verb.attrs.transcribe, false) || verb.attrs.transcribeCallback)) return;
	const text = lines.map((l) => l.text).join(' ');
	const ok = seconds >= 2 && seconds <= 120 && text.length > 0;
	if (!verb.attrs.transcribeCallback) return;
	const sid = newSid('TR');
	s.dispatcher.notify({
		kind: 'transcription',
		url: resolve(s, verb.attrs.transcribeCallback, docUrl),
		params: legParams(s, leg, {
			RecordingSid: rec.sid,
			RecordingUrl: rec.url,
			TranscriptionSid: sid,
			TranscriptionStatus: ok ? 'completed' : 'failed',
			TranscriptionText: ok ? text : '',
			TranscriptionUrl: `${s.carrier.apiBaseUrl}/2010-04-01/Accounts/${s.carrier.accountSid}/Transcriptions/${sid}`
		}),
		callSid: leg.sid
	});
}

/** The action to request (or, without `action`, the current document again, up to maxRecordLoops, then 'end'). */
function nextDocument(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string, params: Record<string, string>): Source | 'end' {
	const action = verb.attrs.action;
	if (!action) {
		// Without an action Twilio requests the current document again, which loops; stop runaway loops.
		leg.recordLoops++;
		if (leg.recordLoops > (s.options.maxRecordLoops ?? 10)) {
			warn(s, leg, 12100, `<Record> without action re-requested ${docUrl} ${leg.recordLoops - 1} times; the local carrier ended the call`, docUrl);
			return 'end';
		}
	}
	return { kind: 'record-action', url: resolve(s, action ?? docUrl, docUrl), method: method(verb.attrs.method), params };
}
