/**
 * TwiML the call center answers with, built by twilio-node's own VoiceResponse so the carrier
 * twin and real Twilio read the document the library defines (declaration, attribute order,
 * escaping). VoiceResponse is a pure builder over xmlbuilder: the dependency rules allow exactly
 * this module from domain code, never the REST client (ARCHITECTURE.md, "TwiML").
 *
 * A verb is a step that appends itself to the response, so callers compose documents as
 * `response(say(...), hangup())` and the result stays a plain string tested byte for byte.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

export type Verb = (twiml: VoiceResponse) => void;

/** twilio-node declares these unions without exporting them; read them off the attributes that use them. */
type RejectReason = VoiceResponse.RejectAttributes['reason'];
type ClientEvent = NonNullable<VoiceResponse.ClientAttributes['statusCallbackEvent']>[number];
type RecordingEvent = NonNullable<VoiceResponse.RecordAttributes['recordingStatusCallbackEvent']>[number];

/** TwiML writes event lists space-separated; twilio-node takes them as arrays and joins them with spaces. */
const eventList = <E extends string>(list: string | undefined): E[] | undefined => list?.split(' ') as E[] | undefined;

/** A whole document: `<?xml ...?><Response>...</Response>` (or `<Response/>` when empty). */
export function response(...verbs: Verb[]): string {
	const twiml = new VoiceResponse();
	for (const verb of verbs) verb(twiml);
	return twiml.toString();
}

export const say =
	(text: string, attrs: VoiceResponse.SayAttributes = {}): Verb =>
	(twiml) => {
		twiml.say(attrs, text);
	};
export const hangup = (): Verb => (twiml) => {
	twiml.hangup();
};
export const reject =
	(reason?: RejectReason): Verb =>
	(twiml) => {
		twiml.reject({ reason });
	};
export const pause =
	(length: number): Verb =>
	(twiml) => {
		twiml.pause({ length });
	};
export const leave = (): Verb => (twiml) => {
	twiml.leave();
};
export const play =
	(url: string, attrs: VoiceResponse.PlayAttributes = {}): Verb =>
	(twiml) => {
		twiml.play(attrs, url);
	};
export const redirect =
	(url: string): Verb =>
	(twiml) => {
		twiml.redirect(url);
	};

export interface DialClientOptions {
	identity: string;
	/** Reach the browser as `call.customParameters`; values must be strings. */
	parameters?: Record<string, string>;
	/** Dial's own attributes. */
	action?: string;
	timeoutSeconds?: number;
	answerOnBridge?: boolean;
	/** Two-channel recording from the moment the agent answers. */
	record?: 'record-from-answer-dual';
	recordingStatusCallback?: string;
	/** The agent leg's progress events. */
	statusCallback?: string;
	/** Space-separated, e.g. `initiated ringing answered completed`. */
	statusCallbackEvent?: string;
}

/** `<Dial><Client>` to one agent's softphone, carrying the caller's details as Parameters. */
export function dialClient(o: DialClientOptions): Verb {
	return (twiml) => {
		const dial = twiml.dial({
			answerOnBridge: o.answerOnBridge,
			action: o.action,
			timeout: o.timeoutSeconds,
			record: o.record,
			recordingStatusCallback: o.recordingStatusCallback
		});
		const client = dial.client({
			statusCallback: o.statusCallback,
			statusCallbackEvent: eventList<ClientEvent>(o.statusCallbackEvent)
		});
		client.identity(o.identity);
		for (const [name, value] of Object.entries(o.parameters ?? {})) client.parameter({ name, value });
	};
}

export interface DialNumberOptions {
	number: string;
	/** The number the called party sees (one of ours). */
	callerId: string;
	action?: string;
	timeoutSeconds?: number;
	record?: 'record-from-answer-dual';
	recordingStatusCallback?: string;
	/** The dialled leg's progress events. */
	statusCallback?: string;
	/** Space-separated, e.g. `initiated ringing answered completed`. */
	statusCallbackEvent?: string;
	/** TwiML run on the called party's leg once they answer, before the bridge (the recording notice). */
	url?: string;
}

type NumberEvent = NonNullable<VoiceResponse.NumberAttributes['statusCallbackEvent']>[number];

/** `<Dial callerId><Number>`: an outbound leg to a phone number, bridged to this leg when answered. */
export function dialNumber(o: DialNumberOptions): Verb {
	return (twiml) => {
		const dial = twiml.dial({
			callerId: o.callerId,
			action: o.action,
			timeout: o.timeoutSeconds,
			record: o.record,
			recordingStatusCallback: o.recordingStatusCallback
		});
		dial.number(
			{ url: o.url, statusCallback: o.statusCallback, statusCallbackEvent: eventList<NumberEvent>(o.statusCallbackEvent) },
			o.number
		);
	};
}

/** Put the caller in a named queue; `waitUrl` plays while they wait, `action` runs when they leave it. */
export function enqueue(queue: string, o: { waitUrl?: string; action?: string } = {}): Verb {
	return (twiml) => {
		twiml.enqueue({ waitUrl: o.waitUrl, action: o.action }, queue);
	};
}

/** Bridge this (agent) leg to the oldest caller in `queue`; `url` runs on the caller's leg first. */
export function dialQueue(queue: string, o: { url?: string; action?: string } = {}): Verb {
	return (twiml) => {
		twiml.dial({ action: o.action }).queue({ url: o.url }, queue);
	};
}

export interface RecordOptions {
	maxLength?: number;
	playBeep?: boolean;
	transcribe?: boolean;
	transcribeCallback?: string;
	recordingStatusCallback?: string;
	/** Space-separated, e.g. `completed absent`. */
	recordingStatusCallbackEvent?: string;
	/** Always give one: without it Twilio re-requests the same document and loops. */
	action: string;
}

export function record(o: RecordOptions): Verb {
	return (twiml) => {
		twiml.record({
			maxLength: o.maxLength,
			playBeep: o.playBeep,
			transcribe: o.transcribe,
			transcribeCallback: o.transcribeCallback,
			recordingStatusCallback: o.recordingStatusCallback,
			recordingStatusCallbackEvent: eventList<RecordingEvent>(o.recordingStatusCallbackEvent),
			action: o.action
		});
	};
}
