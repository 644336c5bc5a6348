/**
 * <Start><Transcription>: a live transcription of the leg, running beside the verbs that follow
 * until the call ends. Its statusCallbackUrl gets Twilio's real-time transcription events, signed
 * like every webhook: `transcription-started` at once; once the leg is bridged, for each line of
 * the call's script, at about the time it is said (script lines one after another from half a
 * second into the bridge, each taking its estimated speech time, 0.6 s apart, as recordings lay
 * them out), an optional partial `transcription-content` halfway through (partialResults) and a
 * final one at its end, with Track `inbound_track` for the leg that ran the <Start> and
 * `outbound_track` for the other side; `transcription-stopped` when the leg ends. SequenceId
 * counts from 1 across one transcription's events. Other <Start> nouns (<Stream>, <Siprec>) are
 * skipped with a 12200 warning.
 */
import { estimateSpeechSeconds } from '../audio';
import { utterances } from '../recordings';
import type { Bridge, EngineState, Leg, Step } from '../state';
import { elementsOf, type XmlElement } from '../twiml';
import { attrBool, method, newSid, resolve } from '../util';

type Track = 'inbound_track' | 'outbound_track' | 'both_tracks';

interface LiveTranscription {
	sid: string;
	leg: Leg;
	url: string;
	method: 'GET' | 'POST';
	track: Track;
	partialResults: boolean;
	languageCode: string;
	name: string | null;
	sequence: number;
	/** The script is spoken once per leg, on its first bridge. */
	spoken: boolean;
	stopped: boolean;
	/** Aborts the script's timeline (the bridge closed or the leg ended). */
	talk: AbortController | null;
}

/** Transcriptions running on each leg. A WeakMap keeps this verb's state out of the shared Leg record. */
const running = new WeakMap<Leg, LiveTranscription[]>();

const PAUSE_MS = 600;
const LEAD_MS = 500;

export function start(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string): Step {
	for (const noun of elementsOf(verb)) {
		if (noun.name !== 'Transcription') {
			// As runtime.ts warns, without importing it (the runtime imports this module).
			s.dispatcher.alert({ level: 'warning', code: 12200, message: `<Start><${noun.name}> is not supported by the local carrier and was skipped`, url: docUrl, kind: null, callSid: leg.sid, messageSid: null });
			continue;
		}
		const callback = noun.attrs.statusCallbackUrl;
		const track = (['inbound_track', 'outbound_track', 'both_tracks'] as const).find((t) => t === noun.attrs.track) ?? 'both_tracks';
		const t: LiveTranscription = {
			sid: newSid('GT'),
			leg,
			url: callback ? resolve(s, callback, docUrl) : '',
			method: method(noun.attrs.statusCallbackMethod),
			track,
			partialResults: attrBool(noun.attrs.partialResults, false),
			languageCode: noun.attrs.languageCode ?? 'en-US',
			name: noun.attrs.name ?? null,
			sequence: 0,
			spoken: false,
			stopped: false,
			talk: null
		};
		running.set(leg, [...(running.get(leg) ?? []), t]);
		send(s, t, 'transcription-started', {
			Track: t.track,
			LanguageCode: t.languageCode,
			PartialResults: String(t.partialResults),
			...(t.name ? { Name: t.name } : {})
		});
		if (leg.bridge && !leg.bridge.closed) speak(s, t, leg.bridge);
	}
	return 'continue';
}

/** A bridge opened (bridges.ts): the legs' running transcriptions hear the conversation. */
export function transcribeBridge(s: EngineState, bridge: Bridge): void {
	for (const leg of [bridge.a, bridge.b]) for (const t of running.get(leg) ?? []) speak(s, t, bridge);
}

/** The leg ended (legs.ts completeLeg): its transcriptions stop. */
export function stopTranscriptions(s: EngineState, leg: Leg): void {
	for (const t of running.get(leg) ?? []) {
		if (t.stopped) continue;
		t.stopped = true;
		t.talk?.abort();
		send(s, t, 'transcription-stopped', {});
	}
	running.delete(leg);
}

function speak(s: EngineState, t: LiveTranscription, bridge: Bridge): void {
	if (t.spoken || t.stopped) return;
	t.spoken = true;
	const talk = new AbortController();
	t.talk = talk;
	const wake = () => talk.abort();
	bridge.listeners.add(wake);
	const lines = utterances(bridge.a, bridge.b).map((u) => ({
		text: u.text,
		// Channel 0 is bridge.a: the inbound track is whichever side ran the <Start>.
		track: (u.channel === 0) === (bridge.a === t.leg) ? ('inbound_track' as const) : ('outbound_track' as const)
	}));
	const timeline = async () => {
		let at = LEAD_MS;
		let now = 0;
		const until = async (ms: number) => {
			await s.clock.sleep(ms - now, talk.signal);
			now = ms;
		};
		for (const line of lines) {
			const ms = estimateSpeechSeconds(line.text) * 1000;
			const heard = t.track === 'both_tracks' || t.track === line.track;
			const words = line.text.split(/\s+/).filter(Boolean);
			if (heard && t.partialResults && words.length > 1) {
				await until(at + ms / 2);
				content(s, t, line.track, words.slice(0, Math.ceil(words.length / 2)).join(' '), false);
			}
			await until(at + ms);
			if (heard) content(s, t, line.track, line.text, true);
			at += ms + PAUSE_MS;
		}
	};
	timeline()
		.catch(() => undefined)
		.finally(() => {
			bridge.listeners.delete(wake);
			if (t.talk === talk) t.talk = null;
		});
}

function content(s: EngineState, t: LiveTranscription, track: 'inbound_track' | 'outbound_track', transcript: string, final: boolean): void {
	if (t.stopped) return;
	send(s, t, 'transcription-content', {
		LanguageCode: t.languageCode,
		Track: track,
		TranscriptionData: JSON.stringify({ transcript, confidence: final ? 0.95 : 0.8 }),
		Final: String(final),
		...(final ? {} : { Stability: '0.8' })
	});
}

function send(s: EngineState, t: LiveTranscription, event: string, extra: Record<string, string>): void {
	t.sequence += 1;
	if (!t.url) return;
	s.dispatcher.notify({
		kind: 'realtime-transcription',
		url: t.url,
		method: t.method,
		params: {
			AccountSid: s.carrier.accountSid,
			CallSid: t.leg.sid,
			TranscriptionSid: t.sid,
			TranscriptionEvent: event,
			SequenceId: String(t.sequence),
			Timestamp: s.clock.now().toISOString(),
			...extra
		},
		callSid: t.leg.sid
	});
}
