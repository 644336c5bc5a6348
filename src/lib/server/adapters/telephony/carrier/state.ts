/**
 * The carrier engine's shared state: what every module of the engine (legs, numbers, bridges,
 * queues, conferences, recordings, messaging, the TwiML runtime and its verbs) reads and
 * writes, passed to them as `s` instead of living in one class. `CarrierEngine` (engine.ts)
 * builds it once and is the facade the app and tests use.
 */
import type { Logger } from '../../../log';
import type { LocalCarrier } from './local-carrier';
import type { ApplicationView, NumberSettings } from './rest';
import type { Clock } from './clock';
import type { ClientDevice, CustomerPhone, LegParty, PartyHost, PhoneText, ScriptLine } from './parties';
import type { WebhookDispatcher, WebhookKind } from './webhooks';

/** Webhook URLs of an owned number, as set in Twilio's console (or its IncomingPhoneNumbers REST). */
export interface NumberConfig {
	voiceUrl: string;
	voiceMethod: 'GET' | 'POST';
	voiceFallbackUrl: string | null;
	voiceFallbackMethod: 'GET' | 'POST';
	statusCallback: string | null;
	statusCallbackMethod: 'GET' | 'POST';
	smsUrl: string;
	smsMethod: 'GET' | 'POST';
	smsFallbackUrl: string | null;
	smsFallbackMethod: 'GET' | 'POST';
	messagingServiceSid: string | null;
}

export interface CarrierEngineOptions {
	carrier: LocalCarrier;
	/** Switchboard's public base URL: webhook paths are resolved against it. */
	publicBaseUrl: string;
	clock?: Clock;
	/** Per-request webhook budget (Twilio: 15 000 ms). */
	webhookTimeoutMs?: number;
	/** Overrides per owned number; every other number not registered as a customer phone uses the defaults. */
	numbers?: Record<string, Partial<NumberConfig>>;
	/** Default webhook paths or URLs for owned numbers. */
	defaults?: Partial<NumberConfig>;
	/** Voice URL of the TwiML App local softphones place calls through. */
	applicationVoiceUrl?: string;
	/** Phone numbers without a registered CustomerPhone answer after this (null: they never answer). */
	answerDelayMs?: number | null;
	/** How long a Record without `action` may re-request its document before the carrier stops it. */
	maxRecordLoops?: number;
}

export interface Bridge {
	a: Leg;
	b: Leg;
	startedAt: number;
	closed: boolean;
	listeners: Set<() => void>;
	/** Set when the bridge is recorded (Dial record, or a recorded REST call). */
	recording: { channels: 1 | 2; statusCallback: string | null; events: string[]; method: 'GET' | 'POST'; source: string } | null;
	/** The running recording's SID and its paused stretches (ms since epoch; `until` null while paused). */
	recordingSid: string | null;
	pauses: { from: number; until: number | null; skip: boolean }[];
	/** Both ends are browsers that carry audio: the carrier relays their WebRTC signaling. */
	media: boolean;
}

export interface QueueEntry {
	leg: Leg;
	enqueuedAt: number;
	/** Set by Dial Queue when a dequeuer takes this caller. */
	bridge: Bridge | null;
	dequeue: (() => void) | null;
}

export interface LocalQueue {
	sid: string;
	name: string;
	entries: QueueEntry[];
	maxSize: number;
	waitTimes: number[];
	/** Woken when a caller joins, for a <Dial><Queue> waiting on an empty queue. */
	listeners: Set<() => void>;
}

export interface Participant {
	leg: Leg;
	label: string | null;
	hold: boolean;
	muted: boolean;
	coaching: boolean;
	callSidToCoach: string | null;
	startOnEnter: boolean;
	endOnExit: boolean;
	joinedAt: Date;
	status: 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';
	leave: (() => void) | null;
	/** Removed over REST (Twilio's "kicked"), rather than hanging up or leaving by TwiML. */
	kicked?: boolean;
	/** What a held participant hears: Twilio's hold music, or the `holdUrl` (with `holdMethod`, GET by default). */
	holdUrl: string | null;
	holdMethod: 'GET' | 'POST';
	/** Twilio's `beep`: `true`, `false`, `onEnter`, `onExit`. */
	beep: string;
	/** For a participant being added over REST: cancels its ringing call. */
	cancel?: (() => void) | null;
}

export interface Conference {
	sid: string;
	name: string;
	status: 'init' | 'in-progress' | 'completed';
	participants: Map<string, Participant>;
	statusCallback: string | null;
	events: Set<string>;
	sequence: number;
	dateCreated: Date;
	dateUpdated: Date;
	reasonEnded: string | null;
	callSidEnding: string | null;
	statusCallbackMethod: 'GET' | 'POST';
	/** `record="record-from-start"` (or REST `ConferenceRecord`): one mono recording of the whole conference, from its start. */
	record: { statusCallback: string | null; events: string[]; method: 'GET' | 'POST' } | null;
	/** The running conference recording: its SID, start (ms) and the call whose join started it. */
	recording: { sid: string; startedAt: number; callSid: string } | null;
	/** Browser audio links between watched participants, by `callSidA|callSidB` (see conference-media.ts). */
	links: Map<string, ConferenceLink>;
}

/** A WebRTC link between two participants' browsers: who offers, and which way audio flows. */
export interface ConferenceLink {
	offerer: Leg;
	answerer: Leg;
	/** `both`, or one way: the offerer's audio reaches the answerer only (`offerer`), or the reverse (`answerer`). */
	heardBy: 'both' | 'answerer' | 'offerer';
}

export interface Leg {
	sid: string;
	party: LegParty | null;
	/** Current run of TwiML on this leg. */
	run: AbortController | null;
	digits: string;
	digitListeners: Set<() => void>;
	ringListeners: Set<() => void>;
	ringOutcome: 'answered' | 'declined' | null;
	offers: LegParty[];
	answered: boolean;
	finalized: boolean;
	hangupRequested: boolean;
	bridge: Bridge | null;
	script: ScriptLine[];
	heard: string[];
	recordLoops: number;
	/** Whole-call recording started at answer (REST `Record=true`). */
	callRecording: { startedAt: number } | null;
	number: NumberConfig | null;
}

export type Source =
	| {
			kind: WebhookKind;
			url: string;
			method: 'GET' | 'POST';
			params?: Record<string, string>;
			fallbackUrl?: string | null;
			fallbackMethod?: 'GET' | 'POST';
			notifyOnly?: boolean;
	  }
	| { twiml: string; baseUrl: string };

export type Step = { next: Source } | 'continue' | 'end' | 'leave';

/** A number on the account: its SID and the settings last written to it, as Twilio keeps them ('' = unset). */
export interface OwnedNumber {
	sid: string;
	phoneNumber: string;
	settings: NumberSettings;
	dateCreated: Date;
	dateUpdated: Date;
}

export interface EngineState {
	readonly carrier: LocalCarrier;
	readonly dispatcher: WebhookDispatcher;
	readonly clock: Clock;
	/** Switchboard's public base URL, without a trailing slash. */
	readonly publicBaseUrl: string;
	readonly options: CarrierEngineOptions;
	readonly log: Logger;
	/** What parties (phones, softphones, their calls) report back to: the engine facade. */
	readonly host: PartyHost;
	readonly legs: Map<string, Leg>;
	readonly queues: Map<string, LocalQueue>;
	/** Live conferences by friendly name. */
	readonly conferences: Map<string, Conference>;
	readonly phones: Map<string, CustomerPhone>;
	readonly devices: Map<string, Set<ClientDevice>>;
	/** Texts delivered to customer phones, by message SID, so their later statuses reach the phone. */
	readonly phoneTexts: Map<string, PhoneText>;
	/** The account's numbers by E.164 (IncomingPhoneNumbers), in the order they were bought. */
	readonly owned: Map<string, OwnedNumber>;
	/** The TwiML App local softphones place calls through (Applications), made on first use. */
	application: ApplicationView | null;
}
