/**
 * The carrier engine: the phone network and Twilio's call platform around a LocalCarrier.
 * It rings parties (agent devices, customer phones), asks Switchboard for TwiML over signed
 * webhooks and runs it with Twilio's semantics (queues, dials, bridges, conferences,
 * recordings), and delivers texts with status callbacks. All waiting goes through the Clock.
 */
import { randomBytes } from 'node:crypto';
import { logger } from '../../../log';
import { AdapterError } from '../../errors';
import type { LocalCall, LocalCarrier, LocalMessage } from './local-carrier';
import { rfc2822 } from './local-carrier';
import type {
	ApplicationSettings,
	ApplicationView,
	ConferenceRest,
	ConferenceView,
	NumberRest,
	NumberSettings,
	ParticipantInput,
	ParticipantUpdate,
	ParticipantView,
	PhoneNumberView
} from './rest';
import type { CallProgressEvent, CallStatus } from '../port';
import { estimateSpeechSeconds, renderConversation, type Pause, type Utterance } from './audio';
import { Interrupted, RealClock, type Clock } from './clock';
import { callParams, inboundSmsParams } from './params';
import type { MediaSignal } from '../../../../media/media-signal';
import { ClientDevice, CustomerPhone, DeviceCall, PhoneCall, type LegParty, type PartyHost, type PhoneAttachment, type PhoneText, type ScriptLine } from './parties';
import { Scenario } from './scenario';
import { TwimlError, UNSUPPORTED_VERBS, elementsOf, parseMessagingTwiml, parseVoiceTwiml, textOf, type XmlElement } from './twiml';
import { WebhookDispatcher, type DeliveryInput, type WebhookKind } from './webhooks';

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

interface Bridge {
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

interface QueueEntry {
	leg: Leg;
	enqueuedAt: number;
	/** Set by Dial Queue when a dequeuer takes this caller. */
	bridge: Bridge | null;
	dequeue: (() => void) | null;
}

interface LocalQueue {
	sid: string;
	name: string;
	entries: QueueEntry[];
	maxSize: number;
	waitTimes: number[];
	/** Woken when a caller joins, for a <Dial><Queue> waiting on an empty queue. */
	listeners: Set<() => void>;
}

interface Participant {
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
}

interface Conference {
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
}

interface Leg {
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

type Source =
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

type Step = { next: Source } | 'continue' | 'end' | 'leave';

const FOREVER = 6 * 3600_000;
const LEG_RETENTION_MS = 3600_000;
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);
const FINAL = new Set<CallStatus>(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const HANGUP = 'hangup';

function newSid(prefix: string): string {
	return prefix + randomBytes(16).toString('hex');
}

function attrBool(value: string | undefined, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	return value.toLowerCase() === 'true';
}

function attrNum(value: string | undefined, fallback: number): number {
	const n = value === undefined || value === '' ? NaN : Number(value);
	return Number.isFinite(n) ? n : fallback;
}

function method(value: string | undefined): 'GET' | 'POST' {
	return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

function speechMs(text: string): number {
	return Math.max(1000, text.split(/\s+/).filter(Boolean).length * 400);
}

/** A child signal that also aborts when `parent` does, carrying the parent's reason; call `release` when done. */
function linked(parent: AbortSignal): AbortController & { release(): void } {
	const ctl = new AbortController();
	const relay = () => ctl.abort(parent.reason);
	if (parent.aborted) ctl.abort(parent.reason);
	else parent.addEventListener('abort', relay, { once: true });
	return Object.assign(ctl, { release: () => parent.removeEventListener('abort', relay) });
}

/** A number on the account: its SID and the settings last written to it, as Twilio keeps them ('' = unset). */
interface OwnedNumber {
	sid: string;
	phoneNumber: string;
	settings: NumberSettings;
	dateCreated: Date;
	dateUpdated: Date;
}

export class CarrierEngine implements PartyHost, ConferenceRest, NumberRest {
	readonly carrier: LocalCarrier;
	readonly dispatcher: WebhookDispatcher;
	readonly clock: Clock;
	readonly publicBaseUrl: string;
	readonly legs = new Map<string, Leg>();
	readonly queues = new Map<string, LocalQueue>();
	readonly conferences = new Map<string, Conference>();
	readonly phones = new Map<string, CustomerPhone>();
	readonly devices = new Map<string, Set<ClientDevice>>();
	/** Drive calls, texts, agents and webhook deliveries from tests, demos and the CLI. */
	readonly scenario: Scenario = new Scenario(this);
	readonly #options: CarrierEngineOptions;
	readonly #log = logger('carrier');
	readonly #phoneTexts = new Map<string, PhoneText>();
	/** The account's numbers by E.164 (IncomingPhoneNumbers), in the order they were bought. */
	readonly #owned = new Map<string, OwnedNumber>();
	/** The TwiML App local softphones place calls through (Applications). */
	#application: ApplicationView | null = null;

	constructor(options: CarrierEngineOptions) {
		this.#options = options;
		this.carrier = options.carrier;
		this.clock = options.clock ?? new RealClock();
		this.publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
		this.dispatcher = new WebhookDispatcher({
			sign: (url, params) => this.carrier.sign(url, params),
			clock: this.clock,
			timeoutMs: options.webhookTimeoutMs
		});
		this.carrier.recordingControl = (callSid, recordingSid, input) => this.updateCallRecording(callSid, recordingSid, input);
		this.carrier.on('call', (call) => this.#track(this.#outbound(call)));
		this.carrier.on('call-status', (call, callback) => {
			if (callback) this.dispatcher.notify({ kind: 'call-status', url: callback.url, method: callback.method, params: callback.params, callSid: call.sid });
			const leg = this.legs.get(call.sid);
			if (leg && FINAL.has(call.status) && !leg.finalized) this.#externalEnd(leg);
		});
		this.carrier.on('call-redirect', (call) => this.#onRedirect(call));
		this.carrier.on('message', (message) => this.#track(this.#deliverMessage(message)));
		this.carrier.on('message-status', (message, callback) => {
			if (callback) this.dispatcher.notify({ kind: 'sms-status', url: callback.url, params: callback.params, messageSid: message.sid });
			const text = this.#phoneTexts.get(message.sid);
			const phone = this.phones.get(message.to);
			if (text && phone) {
				text.status = message.status;
				phone.record(text, 'text-status');
			}
		});
	}

	// --- configuration ------------------------------------------------------------------------

	/** Absolute URL for a path (or URL) relative to `base` (Switchboard's base URL by default). */
	resolve(url: string, base = `${this.publicBaseUrl}/`): string {
		return new URL(url, base).toString();
	}

	/** The defaults and constructor overrides for `number`, before anything was written over REST. */
	#configuredNumber(number: string): NumberConfig {
		const d = this.#options.defaults ?? {};
		const n = this.#options.numbers?.[number] ?? {};
		const pick = <K extends keyof NumberConfig>(k: K, fallback: NumberConfig[K]): NumberConfig[K] => (k in n ? n[k] : k in d ? d[k] : fallback) as NumberConfig[K];
		const abs = (v: string | null) => (v ? this.resolve(v) : null);
		return {
			voiceUrl: this.resolve(pick('voiceUrl', '/webhooks/twilio/voice')),
			voiceMethod: pick('voiceMethod', 'POST'),
			voiceFallbackUrl: abs(pick('voiceFallbackUrl', null)),
			voiceFallbackMethod: pick('voiceFallbackMethod', 'POST'),
			statusCallback: abs(pick('statusCallback', '/webhooks/twilio/voice/status')),
			statusCallbackMethod: pick('statusCallbackMethod', 'POST'),
			smsUrl: this.resolve(pick('smsUrl', '/webhooks/twilio/sms')),
			smsMethod: pick('smsMethod', 'POST'),
			smsFallbackUrl: abs(pick('smsFallbackUrl', null)),
			smsFallbackMethod: pick('smsFallbackMethod', 'POST'),
			messagingServiceSid: pick('messagingServiceSid', null)
		};
	}

	/**
	 * How the carrier treats calls and texts to `number` now: an owned number's settings as last
	 * written over REST (an empty VoiceUrl or SmsUrl means the default, Switchboard's route, the
	 * local stand-in for Twilio's demo URL; an empty fallback or status callback means none),
	 * otherwise the defaults and constructor overrides.
	 */
	numberConfig(number: string): NumberConfig {
		const configured = this.#configuredNumber(number);
		const owned = this.#owned.get(number);
		if (!owned) return configured;
		const o = owned.settings;
		return {
			voiceUrl: o.voiceUrl || configured.voiceUrl,
			voiceMethod: o.voiceMethod,
			voiceFallbackUrl: o.voiceFallbackUrl || null,
			voiceFallbackMethod: o.voiceFallbackMethod,
			statusCallback: o.statusCallback || null,
			statusCallbackMethod: o.statusCallbackMethod,
			smsUrl: o.smsUrl || configured.smsUrl,
			smsMethod: o.smsMethod,
			smsFallbackUrl: o.smsFallbackUrl || null,
			smsFallbackMethod: o.smsFallbackMethod,
			messagingServiceSid: configured.messagingServiceSid
		};
	}

	// --- the account's numbers and TwiML App (IncomingPhoneNumbers, Applications) ----------------

	/**
	 * Put `number` on the account, as buying it in Twilio's console does: it starts blank (no
	 * fallback, no status callback; an empty VoiceUrl and SmsUrl reach the carrier's defaults, its
	 * stand-in for Twilio's demo URLs) until it is configured over REST. Buying a number the
	 * account has changes nothing.
	 */
	ownNumber(number: string, friendlyName = number): PhoneNumberView {
		const existing = this.#owned.get(number);
		if (existing) return this.#numberView(existing);
		const now = this.clock.now();
		const owned: OwnedNumber = {
			sid: newSid('PN'),
			phoneNumber: number,
			settings: {
				friendlyName,
				voiceUrl: '',
				voiceMethod: 'POST',
				voiceFallbackUrl: '',
				voiceFallbackMethod: 'POST',
				statusCallback: '',
				statusCallbackMethod: 'POST',
				smsUrl: '',
				smsMethod: 'POST',
				smsFallbackUrl: '',
				smsFallbackMethod: 'POST'
			},
			dateCreated: now,
			dateUpdated: now
		};
		this.#owned.set(number, owned);
		return this.#numberView(owned);
	}

	#numberView(o: OwnedNumber): PhoneNumberView {
		return { ...o.settings, sid: o.sid, accountSid: this.carrier.accountSid, phoneNumber: o.phoneNumber, dateCreated: o.dateCreated, dateUpdated: o.dateUpdated };
	}

	#ownedBySid(sid: string): OwnedNumber {
		for (const o of this.#owned.values()) if (o.sid === sid) return o;
		throw new AdapterError(`The requested resource /IncomingPhoneNumbers/${sid}.json was not found`, { port: 'telephony', adapter: 'local', status: 404, vendorCode: 20404 });
	}

	listNumbers(filter: { phoneNumber?: string | null; friendlyName?: string | null }): PhoneNumberView[] {
		// Twilio matches partial numbers, `*` standing for any one digit.
		const pattern = filter.phoneNumber ? new RegExp(filter.phoneNumber.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\d')) : null;
		return [...this.#owned.values()]
			.filter((o) => !pattern || pattern.test(o.phoneNumber))
			.filter((o) => !filter.friendlyName || o.settings.friendlyName === filter.friendlyName)
			.map((o) => this.#numberView(o));
	}

	getNumber(sid: string): PhoneNumberView {
		return this.#numberView(this.#ownedBySid(sid));
	}

	/** Write `update` (already validated whole by the REST layer) onto the number; it counts from the next call or text. */
	updateNumber(sid: string, update: Partial<NumberSettings>): PhoneNumberView {
		const owned = this.#ownedBySid(sid);
		owned.settings = { ...owned.settings, ...update };
		owned.dateUpdated = this.clock.now();
		return this.#numberView(owned);
	}

	#app(): ApplicationView {
		if (!this.#application) {
			const now = this.clock.now();
			this.#application = {
				sid: this.carrier.applicationSid,
				accountSid: this.carrier.accountSid,
				friendlyName: 'Switchboard softphones',
				voiceUrl: this.resolve(this.#options.applicationVoiceUrl ?? '/webhooks/twilio/voice'),
				voiceMethod: 'POST',
				voiceFallbackUrl: '',
				voiceFallbackMethod: 'POST',
				statusCallback: '',
				statusCallbackMethod: 'POST',
				dateCreated: now,
				dateUpdated: now
			};
		}
		return this.#application;
	}

	getApplication(sid: string): ApplicationView {
		const app = this.#app();
		if (sid !== app.sid) throw new AdapterError(`The requested resource /Applications/${sid}.json was not found`, { port: 'telephony', adapter: 'local', status: 404, vendorCode: 20404 });
		return { ...app };
	}

	updateApplication(sid: string, update: Partial<ApplicationSettings>): ApplicationView {
		const app = this.getApplication(sid);
		this.#application = { ...app, ...update, dateUpdated: this.clock.now() };
		return { ...this.#application };
	}

	// --- parties ------------------------------------------------------------------------------

	/** A customer handset with this number (created on first use). */
	phone(number: string, options: { autoAnswer?: boolean } = {}): CustomerPhone {
		let phone = this.phones.get(number);
		if (!phone) {
			phone = new CustomerPhone(this, number, options);
			this.phones.set(number, phone);
		} else if (options.autoAnswer !== undefined) phone.autoAnswer = options.autoAnswer;
		return phone;
	}

	/** A softphone for `identity`, not yet registered; call `register()` to receive calls. */
	device(identity: string): ClientDevice {
		return new ClientDevice(this, identity);
	}

	/** A softphone from a token this carrier minted; null when the token does not verify. */
	deviceFromToken(token: string): ClientDevice | null {
		const verified = this.carrier.verifyClientToken(token);
		return verified?.incomingAllow ? new ClientDevice(this, verified.identity) : null;
	}

	relayMedia(callSid: string, signal: MediaSignal): boolean {
		const leg = this.legs.get(callSid);
		const bridge = leg?.bridge;
		if (!leg || !bridge || bridge.closed || !bridge.media) return false;
		const other = bridge.a === leg ? bridge.b : bridge.a;
		if (!other.party?.media) return false;
		other.party.media({ kind: 'signal', signal });
		return true;
	}

	deviceRegistered(device: ClientDevice, registered: boolean): void {
		const set = this.devices.get(device.identity) ?? new Set<ClientDevice>();
		if (registered) set.add(device);
		else set.delete(device);
		if (set.size) this.devices.set(device.identity, set);
		else this.devices.delete(device.identity);
	}

	phoneCall(phone: CustomerPhone, to: string, options: { script?: ScriptLine[] }): PhoneCall {
		const number = this.numberConfig(to);
		const call = this.carrier.openLeg({
			from: phone.number,
			to,
			direction: 'inbound',
			status: 'ringing',
			statusCallback: number.statusCallback,
			statusCallbackMethod: number.statusCallbackMethod,
			statusCallbackEvent: ['completed']
		});
		const handle = new PhoneCall(this, { sid: call.sid, from: phone.number, to, direction: 'outgoing' });
		const leg = this.#leg(call.sid, handle);
		leg.script = options.script ? [...options.script] : [];
		leg.number = number;
		this.#track(
			this.#run(leg, {
				kind: 'voice',
				url: number.voiceUrl,
				method: number.voiceMethod,
				fallbackUrl: number.voiceFallbackUrl,
				fallbackMethod: number.voiceFallbackMethod
			})
		);
		return handle;
	}

	async phoneText(phone: CustomerPhone, to: string, body: string, mediaUrls: string[], attachments: PhoneAttachment[] = []): Promise<PhoneText> {
		const message = this.carrier.receiveMessage({ from: phone.number, to, body, mediaUrls, attachments });
		const text: PhoneText = {
			sid: message.sid,
			direction: 'sent',
			from: phone.number,
			to,
			body,
			mediaUrls: message.mediaUrls,
			status: 'sending',
			webhook: null
		};
		phone.record(text, 'text');
		const number = this.numberConfig(to);
		const keyword = this.#optOutKeyword(message.from, to, body);
		const result = await this.dispatcher.request({
			kind: 'sms',
			url: number.smsUrl,
			method: number.smsMethod,
			params: inboundSmsParams(message, number.messagingServiceSid),
			fallbackUrl: number.smsFallbackUrl,
			fallbackMethod: number.smsFallbackMethod,
			messageSid: message.sid
		});
		text.status = 'delivered';
		text.webhook = { ok: result.outcome.ok, errorCode: result.outcome.ok ? null : result.outcome.errorCode };
		phone.record(text, 'text-status');
		if (keyword) this.#carrierReply(phone, to, keyword);
		// After STOP Twilio's own reply is all the sender gets; Switchboard's reply would fail with 21610.
		if (result.outcome.ok) this.#messagingReply(message, result.outcome.body, result.documentUrl);
		return text;
	}

	/**
	 * Twilio's default opt-out handling on long codes: single-word, case-insensitive STOP-type
	 * keywords block the sender/recipient pair, START-type ones lift the block, HELP-type ones
	 * only get a reply. Twilio still forwards the message to the messaging webhook.
	 */
	#optOutKeyword(from: string, to: string, body: string): 'stop' | 'start' | 'help' | null {
		const word = body.trim().toUpperCase();
		const pair = `${to}|${from}`;
		if (OPT_OUT.has(word)) {
			this.carrier.optOuts.add(pair);
			return 'stop';
		}
		if (OPT_IN.has(word)) {
			this.carrier.optOuts.delete(pair);
			return 'start';
		}
		return HELP.has(word) ? 'help' : null;
	}

	/** Twilio's own reply to a keyword: it reaches the phone but is not a message on the account. */
	#carrierReply(phone: CustomerPhone, from: string, keyword: 'stop' | 'start' | 'help'): void {
		const body = {
			stop: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
			start: 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe.',
			help: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.'
		}[keyword];
		phone.record({ sid: newSid('SM'), direction: 'received', from, to: phone.number, body, mediaUrls: [], status: 'delivered', webhook: null }, 'text');
	}

	deviceConnect(device: ClientDevice, params: Record<string, string>): DeviceCall {
		const app = this.#app();
		const from = `client:${device.identity}`;
		const to = params.To ?? '';
		const call = this.carrier.openLeg({ from, to: to || from, direction: 'inbound', status: 'ringing' });
		const handle = new DeviceCall(this, {
			sid: call.sid,
			parameters: { CallSid: call.sid, AccountSid: this.carrier.accountSid, From: from, To: to },
			customParameters: new Map(Object.entries(params)),
			direction: 'OUTGOING'
		});
		const leg = this.#leg(call.sid, handle);
		leg.answered = true;
		this.carrier.advanceCall(call.sid, 'in-progress');
		handle.answered();
		this.#track(
			this.#run(leg, {
				kind: 'voice',
				url: app.voiceUrl || this.resolve('/webhooks/twilio/voice'),
				method: app.voiceMethod,
				fallbackUrl: app.voiceFallbackUrl || null,
				fallbackMethod: app.voiceFallbackMethod,
				params: { ...params, ApplicationSid: this.carrier.applicationSid, Caller: from, From: from, To: to, Called: to }
			})
		);
		return handle;
	}

	answer(callSid: string, party: LegParty): void {
		const leg = this.legs.get(callSid);
		if (!leg || leg.finalized || leg.ringOutcome || !leg.offers.includes(party)) return;
		leg.ringOutcome = 'answered';
		leg.party = party;
		for (const wake of leg.ringListeners) wake();
	}

	decline(callSid: string, party: LegParty): void {
		const leg = this.legs.get(callSid);
		if (!leg || leg.finalized || leg.ringOutcome || !leg.offers.includes(party)) return;
		leg.ringOutcome = 'declined';
		for (const wake of leg.ringListeners) wake();
	}

	hangUp(callSid: string): void {
		const leg = this.legs.get(callSid);
		if (leg) this.#hangup(leg);
	}

	pressKeys(callSid: string, digits: string): void {
		const leg = this.legs.get(callSid);
		if (!leg || leg.finalized) return;
		leg.digits += digits;
		for (const wake of [...leg.digitListeners]) wake();
	}

	/** What a leg's far end has heard so far (Say texts, `[play ...]`), for tests and the CLI. */
	heard(callSid: string): string[] {
		return [...(this.legs.get(callSid)?.heard ?? [])];
	}

	/** Legs whose calls are not over, for diagnostics. */
	get liveCalls(): string[] {
		return [...this.legs.values()].filter((l) => !l.finalized).map((l) => l.sid);
	}

	// --- legs ---------------------------------------------------------------------------------

	/** Run a call or message flow in the background (not clock-tracked: flows wait on virtual time). */
	#track(work: Promise<unknown>): void {
		work.catch((err: unknown) => {
			this.#log.error('carrier flow failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
		});
	}

	#leg(sid: string, party: LegParty | null): Leg {
		const leg: Leg = {
			sid,
			party,
			run: null,
			digits: '',
			digitListeners: new Set(),
			ringListeners: new Set(),
			ringOutcome: null,
			offers: party ? [party] : [],
			answered: false,
			finalized: false,
			hangupRequested: false,
			bridge: null,
			script: [],
			heard: [],
			recordLoops: 0,
			callRecording: null,
			number: null
		};
		this.legs.set(sid, leg);
		return leg;
	}

	#call(leg: Leg): LocalCall {
		const call = this.carrier.calls.get(leg.sid);
		if (!call) throw new Error(`call ${leg.sid} vanished`);
		return call;
	}

	#params(leg: Leg, extra: Record<string, string> = {}): Record<string, string> {
		const params = callParams(this.#call(leg));
		// Requests made after the caller hung up (Dial/Enqueue/Record actions) already say so.
		if (leg.hangupRequested && !FINAL.has(params.CallStatus as CallStatus)) params.CallStatus = 'completed';
		return { ...params, ...extra };
	}

	#hear(leg: Leg, text: string): void {
		leg.heard.push(text);
		leg.party?.hear(text);
	}

	/** Wait up to `ms`; true when `subscribe`'s wake fired first. Throws Interrupted when `signal` aborts. */
	async #wait(ms: number, signal: AbortSignal, subscribe: (wake: () => void) => () => void): Promise<boolean> {
		if (signal.aborted) throw new Interrupted(signal.reason);
		const local = new AbortController();
		const relay = () => local.abort(signal.reason);
		signal.addEventListener('abort', relay, { once: true });
		let woken = false;
		const unsubscribe = subscribe(() => {
			if (woken) return;
			woken = true;
			local.abort('wake');
		});
		try {
			await this.clock.sleep(ms, local.signal);
			return false;
		} catch (err) {
			if (signal.aborted) throw new Interrupted(signal.reason);
			if (woken) return true;
			throw err;
		} finally {
			unsubscribe();
			signal.removeEventListener('abort', relay);
		}
	}

	#answer(leg: Leg): void {
		if (leg.answered || leg.finalized) return;
		leg.answered = true;
		const call = this.#call(leg);
		if (call.status === 'queued' || call.status === 'initiated' || call.status === 'ringing') this.carrier.advanceCall(leg.sid, 'in-progress');
		leg.party?.answered();
	}

	#hangup(leg: Leg): void {
		if (leg.finalized || leg.hangupRequested) return;
		leg.hangupRequested = true;
		if (leg.run) leg.run.abort(HANGUP);
		else if (leg.ringOutcome === null && !leg.answered) {
			// Still ringing: the ring loop sees the hang-up as a cancel.
			for (const wake of leg.ringListeners) wake();
			if (!leg.ringListeners.size) void this.#complete(leg, 'canceled');
		} else void this.#complete(leg);
	}

	/** Ended legs stay inspectable (heard, scenario state) for an hour, then the engine lets them go. */
	#forgetLater(leg: Leg): void {
		void this.clock.sleep(LEG_RETENTION_MS).then(() => this.legs.delete(leg.sid));
	}

	/** The call ended from outside (REST `Status=completed`): stop whatever runs on it. */
	#externalEnd(leg: Leg): void {
		leg.finalized = true;
		this.#forgetLater(leg);
		leg.hangupRequested = true;
		leg.bridge?.listeners.forEach((wake) => wake());
		this.#closeBridge(leg.bridge);
		if (leg.run) leg.run.abort(HANGUP);
		for (const wake of leg.ringListeners) wake();
		for (const offer of leg.offers) if (offer !== leg.party) offer.canceled();
		leg.party?.ended(this.#call(leg).status);
	}

	async #complete(leg: Leg, status: CallStatus = 'completed'): Promise<void> {
		const bridge = leg.bridge;
		this.#closeBridge(bridge);
		for (const q of this.queues.values()) q.entries = q.entries.filter((e) => e.leg !== leg);
		if (leg.finalized) return;
		leg.finalized = true;
		this.#forgetLater(leg);
		const call = this.#call(leg);
		if (FINAL.has(call.status)) return;
		let extra: Record<string, string> = {};
		if (leg.callRecording && status === 'completed') {
			const seconds = Math.round((this.clock.now().getTime() - leg.callRecording.startedAt) / 1000);
			const rec = await this.#makeRecording(leg, seconds, 2, leg.bridge ? (leg.bridge.a === leg ? leg.bridge.b : leg.bridge.a) : null, 'OutboundAPI');
			extra = { RecordingUrl: rec.url, RecordingSid: rec.sid, RecordingDuration: String(seconds) };
		}
		const finalStatus = status === 'completed' && !leg.answered && call.status !== 'in-progress' ? 'canceled' : status;
		this.carrier.advanceCallWith(leg.sid, finalStatus, extra);
		for (const offer of leg.offers) if (offer !== leg.party) offer.canceled();
		leg.party?.ended(finalStatus);
	}

	#closeBridge(bridge: Bridge | null): void {
		if (!bridge || bridge.closed) return;
		bridge.closed = true;
		bridge.a.bridge = null;
		bridge.b.bridge = null;
		if (bridge.media) {
			bridge.a.party?.media?.({ kind: 'end' });
			bridge.b.party?.media?.({ kind: 'end' });
		}
		for (const wake of [...bridge.listeners]) wake();
	}

	#bridge(a: Leg, b: Leg, recording: Bridge['recording']): Bridge {
		const bridge: Bridge = {
			a,
			b,
			startedAt: this.clock.now().getTime(),
			closed: false,
			listeners: new Set(),
			recording,
			recordingSid: recording ? newSid('RE') : null,
			pauses: [],
			// Two browsers (a softphone, a phone page): their audio flows over WebRTC, the caller's side offering.
			media: Boolean(a.party?.takesMedia?.() && b.party?.takesMedia?.())
		};
		a.bridge = bridge;
		b.bridge = bridge;
		if (bridge.media) {
			a.party?.media?.({ kind: 'start', role: 'offer' });
			b.party?.media?.({ kind: 'start', role: 'answer' });
		}
		return bridge;
	}

	/** Wait until the bridge closes (either side hung up or left). */
	async #waitBridge(bridge: Bridge, signal: AbortSignal, limitMs = FOREVER): Promise<void> {
		await this.#wait(limitMs, signal, (wake) => {
			if (bridge.closed) wake();
			bridge.listeners.add(wake);
			return () => bridge.listeners.delete(wake);
		});
	}

	async #endBridge(bridge: Bridge): Promise<{ seconds: number; recording: { url: string; sid: string } | null }> {
		this.#closeBridge(bridge);
		const endedAt = this.clock.now().getTime();
		const seconds = Math.round((endedAt - bridge.startedAt) / 1000);
		let recording: { url: string; sid: string } | null = null;
		if (bridge.recording) {
			const r = bridge.recording;
			// Paused stretches, in seconds from the start of the recording: skipped ones leave the file, the rest fall silent.
			const pauses = bridge.pauses.map((p) => ({ from: (p.from - bridge.startedAt) / 1000, to: ((p.until ?? endedAt) - bridge.startedAt) / 1000, skip: p.skip }));
			const skipped = pauses.filter((p) => p.skip).reduce((sum, p) => sum + (p.to - p.from), 0);
			const recorded = Math.max(0, Math.round(seconds - skipped));
			const rec = await this.#makeRecording(bridge.a, seconds, r.channels, bridge.b, r.source, { sid: bridge.recordingSid, pauses, durationSeconds: recorded });
			recording = rec;
			if (r.statusCallback && r.events.includes('completed')) {
				this.dispatcher.notify({
					kind: 'recording-status',
					url: r.statusCallback,
					method: r.method,
					params: this.#recordingParams(bridge.a, rec, recorded, r.channels, r.source, bridge.startedAt),
					callSid: bridge.a.sid
				});
			}
		}
		return { seconds, recording };
	}

	/**
	 * REST `Calls/{CallSid}/Recordings/{Sid|Twilio.CURRENT}` update: pause or resume the recording
	 * running on the call's bridge (the caller's leg or the agent's). Repeating the current state
	 * changes nothing, as on Twilio.
	 */
	updateCallRecording(callSid: string, recordingSid: string, input: { status: 'paused' | 'in-progress'; pauseBehavior?: 'skip' | 'silence' }) {
		const bridge = this.legs.get(callSid)?.bridge;
		if (!bridge || bridge.closed || !bridge.recordingSid || (recordingSid !== 'Twilio.CURRENT' && recordingSid !== bridge.recordingSid)) {
			throw new AdapterError(`The requested resource /Calls/${callSid}/Recordings/${recordingSid} was not found: no recording is in progress on this call.`, {
				port: 'telephony',
				adapter: 'local',
				status: 404,
				vendorCode: 20404,
				retryable: false
			});
		}
		const now = this.clock.now().getTime();
		const open = bridge.pauses.at(-1);
		const paused = open !== undefined && open.until === null;
		if (input.status === 'paused' && !paused) bridge.pauses.push({ from: now, until: null, skip: input.pauseBehavior === 'skip' });
		if (input.status === 'in-progress' && open && paused) open.until = now;
		return { sid: bridge.recordingSid, callSid: bridge.a.sid, status: input.status };
	}

	// --- recordings ---------------------------------------------------------------------------

	/** Utterances of the scripts on `a` (channel 0) and `b` (channel 1). */
	#utterances(a: Leg, b: Leg | null): Utterance[] {
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

	async #makeRecording(
		a: Leg,
		seconds: number,
		channels: 1 | 2,
		b: Leg | null,
		source: string,
		extra: { sid?: string | null; pauses?: Pause[]; durationSeconds?: number } = {}
	): Promise<{ url: string; sid: string }> {
		const body = await this.clock.track(renderConversation({ seconds: Math.max(1, seconds), channels, utterances: this.#utterances(a, b), pauses: extra.pauses ?? [] }));
		const rec = this.carrier.addRecording({
			callSid: a.sid,
			body,
			durationSeconds: extra.durationSeconds ?? seconds,
			channels,
			source,
			...(extra.sid ? { sid: extra.sid } : {})
		});
		return { url: rec.url, sid: rec.sid };
	}

	#recordingParams(leg: Leg, rec: { url: string; sid: string }, seconds: number, channels: 1 | 2, source: string, startedAt: number): Record<string, string> {
		return {
			AccountSid: this.carrier.accountSid,
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

	// --- running TwiML ------------------------------------------------------------------------

	async #run(leg: Leg, source: Source): Promise<void> {
		const ctl = new AbortController();
		leg.run = ctl;
		let redirected = false;
		try {
			let next: Source | null = source;
			while (next && !ctl.signal.aborted) {
				const doc = await this.#load(leg, next, ctl.signal);
				if (!doc) break;
				next = await this.#execute(leg, doc.root, doc.url, ctl.signal);
			}
		} catch (err) {
			if (!(err instanceof Interrupted)) throw err;
			redirected = err.reason !== HANGUP;
		} finally {
			if (leg.run === ctl) leg.run = null;
			if (!redirected && leg.run === null) await this.#complete(leg);
		}
	}

	/** Fetch (or take inline) a document and parse it, falling back as Twilio does; null ends the call. */
	async #load(leg: Leg, source: Source, signal: AbortSignal): Promise<{ root: XmlElement; url: string } | null> {
		if ('twiml' in source) {
			try {
				return { root: parseVoiceTwiml(source.twiml), url: source.baseUrl };
			} catch (err) {
				this.#twimlFailure(leg, err, null);
				return null;
			}
		}
		const input: DeliveryInput = {
			kind: source.kind,
			url: source.url,
			method: source.method,
			params: this.#params(leg, source.params),
			fallbackUrl: source.fallbackUrl ?? null,
			...(source.fallbackMethod ? { fallbackMethod: source.fallbackMethod } : {}),
			callSid: leg.sid
		};
		const result = await this.dispatcher.request(input);
		if (signal.aborted) throw new Interrupted(signal.reason);
		if (source.notifyOnly) return null;
		if (!result.outcome.ok) {
			this.#answer(leg);
			this.#hear(leg, 'We are sorry, an application error has occurred.');
			return null;
		}
		try {
			return { root: parseVoiceTwiml(result.outcome.body), url: result.documentUrl };
		} catch (err) {
			this.#twimlFailure(leg, err, result.documentUrl);
			if (!input.fallbackUrl || result.viaFallback) {
				this.#answer(leg);
				this.#hear(leg, 'We are sorry, an application error has occurred.');
				return null;
			}
			const fallback = await this.dispatcher.fallback(input, err instanceof TwimlError ? err.code : 12100, result.documentUrl);
			if (signal.aborted) throw new Interrupted(signal.reason);
			if (!fallback.outcome.ok) return null;
			try {
				return { root: parseVoiceTwiml(fallback.outcome.body), url: fallback.documentUrl };
			} catch (again) {
				this.#twimlFailure(leg, again, fallback.documentUrl);
				return null;
			}
		}
	}

	#twimlFailure(leg: Leg, err: unknown, url: string | null): void {
		if (!(err instanceof TwimlError)) throw err;
		this.dispatcher.alert({ level: 'error', code: err.code, message: `Document parse failure: ${err.message}`, url, kind: null, callSid: leg.sid, messageSid: null });
	}

	async #execute(leg: Leg, root: XmlElement, docUrl: string, signal: AbortSignal): Promise<Source | null> {
		const verbs = elementsOf(root);
		for (const [index, verb] of verbs.entries()) {
			if (signal.aborted) throw new Interrupted(signal.reason);
			const deferAnswer = (verb.name === 'Dial' && attrBool(verb.attrs.answerOnBridge, false)) || verb.name === 'Reject';
			if (!deferAnswer) this.#answer(leg);
			const step = await this.#verb(leg, verb, docUrl, signal, index === 0);
			if (step === 'end') return null;
			if (typeof step === 'object') return step.next;
		}
		return null;
	}

	async #verb(leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal, first: boolean): Promise<Step> {
		switch (verb.name) {
			case 'Say':
				return this.#say(leg, verb, signal);
			case 'Play':
				return this.#play(leg, verb, signal);
			case 'Pause':
				await this.clock.sleep(attrNum(verb.attrs.length, 1) * 1000, signal);
				return 'continue';
			case 'Gather':
				return this.#gather(leg, verb, docUrl, signal);
			case 'Dial':
				return this.#dial(leg, verb, docUrl, signal);
			case 'Enqueue':
				return this.#enqueue(leg, verb, docUrl, signal);
			case 'Record':
				return this.#record(leg, verb, docUrl, signal);
			case 'Redirect': {
				const target = textOf(verb);
				if (!target) {
					this.#warn(leg, 12200, '<Redirect> without a URL was skipped', docUrl);
					return 'continue';
				}
				return { next: { kind: 'redirect', url: this.resolve(target, docUrl), method: method(verb.attrs.method) } };
			}
			case 'Hangup':
				return 'end';
			case 'Leave':
				return 'continue';
			case 'Reject': {
				if (first && !leg.answered) {
					leg.finalized = true;
					this.#forgetLater(leg);
					const status = verb.attrs.reason === 'busy' ? 'busy' : 'no-answer';
					this.carrier.advanceCallWith(leg.sid, status, {});
					leg.party?.ended(status);
				}
				return 'end';
			}
			default:
				if (UNSUPPORTED_VERBS.has(verb.name)) this.#warn(leg, 12200, `<${verb.name}> is not supported by the local carrier and was skipped`, docUrl);
				return 'continue';
		}
	}

	#warn(leg: Leg, code: number, message: string, url: string | null): void {
		this.dispatcher.alert({ level: 'warning', code, message, url, kind: null, callSid: leg.sid, messageSid: null });
	}

	async #say(leg: Leg, verb: XmlElement, signal: AbortSignal): Promise<Step> {
		const text = textOf(verb);
		const loops = Math.min(10, Math.max(1, attrNum(verb.attrs.loop, 1)));
		for (let n = 0; n < loops; n++) {
			this.#hear(leg, text);
			await this.clock.sleep(speechMs(text), signal);
		}
		return 'continue';
	}

	async #play(leg: Leg, verb: XmlElement, signal: AbortSignal): Promise<Step> {
		const url = textOf(verb);
		if (verb.attrs.digits) {
			this.#hear(leg, `[digits ${verb.attrs.digits}]`);
			await this.clock.sleep(500, signal);
			return 'continue';
		}
		const loops = Math.min(10, Math.max(1, attrNum(verb.attrs.loop, 1)));
		for (let n = 0; n < loops; n++) {
			this.#hear(leg, `[play ${url}]`);
			await this.clock.sleep(3000, signal);
		}
		return 'continue';
	}

	#digitWaiter(leg: Leg) {
		return (wake: () => void) => {
			if (leg.digits) wake();
			leg.digitListeners.add(wake);
			return () => leg.digitListeners.delete(wake);
		};
	}

	async #gather(leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
		const timeoutMs = attrNum(verb.attrs.timeout, 5) * 1000;
		const numDigits = attrNum(verb.attrs.numDigits, Infinity);
		const finishOnKey = verb.attrs.finishOnKey ?? '#';
		leg.digits = '';
		// Prompts stop at the first key press.
		const prompts = linked(signal);
		const stopOnDigit = () => prompts.abort('digit');
		leg.digitListeners.add(stopOnDigit);
		try {
			for (const child of elementsOf(verb)) {
				if (leg.digits) break;
				if (child.name === 'Say') await this.#say(leg, child, prompts.signal);
				else if (child.name === 'Play') await this.#play(leg, child, prompts.signal);
				else if (child.name === 'Pause') await this.clock.sleep(attrNum(child.attrs.length, 1) * 1000, prompts.signal);
			}
		} catch (err) {
			if (signal.aborted || !(err instanceof Interrupted)) throw err;
		} finally {
			leg.digitListeners.delete(stopOnDigit);
			prompts.release();
		}
		let collected = '';
		let finishedOnKey = '';
		for (;;) {
			while (leg.digits) {
				const key = leg.digits[0]!;
				leg.digits = leg.digits.slice(1);
				if (finishOnKey && key === finishOnKey) {
					finishedOnKey = key;
					break;
				}
				collected += key;
				if (collected.length >= numDigits) break;
			}
			if (finishedOnKey || collected.length >= numDigits) break;
			const woke = await this.#wait(timeoutMs, signal, this.#digitWaiter(leg));
			if (!woke) break;
		}
		if (!collected && !(finishedOnKey && attrBool(verb.attrs.actionOnEmptyResult, false))) return 'continue';
		return {
			next: {
				kind: 'gather-action',
				url: this.resolve(verb.attrs.action ?? docUrl, docUrl),
				method: method(verb.attrs.method),
				params: { Digits: collected, ...(finishedOnKey ? { FinishedOnKey: finishedOnKey } : {}) }
			}
		};
	}

	// --- Dial ---------------------------------------------------------------------------------

	async #dial(leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
		const nouns = elementsOf(verb);
		const bareNumber = textOf(verb);
		const timeoutMs = attrNum(verb.attrs.timeout, 30) * 1000;
		const record = verb.attrs.record ?? 'do-not-record';
		const recording: Bridge['recording'] =
			record.startsWith('record-from-')
				? {
						channels: record.endsWith('-dual') ? 2 : 1,
						statusCallback: verb.attrs.recordingStatusCallback ? this.resolve(verb.attrs.recordingStatusCallback, docUrl) : null,
						events: (verb.attrs.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/),
						method: method(verb.attrs.recordingStatusCallbackMethod),
						source: 'DialVerb'
					}
				: null;
		let outcome: { status: string; dialSid: string | null; seconds: number | null; recording: { url: string; sid: string } | null };
		let hungUp = false;
		try {
			const queue = nouns.find((n) => n.name === 'Queue');
			const conference = nouns.find((n) => n.name === 'Conference');
			if (queue) outcome = await this.#dialQueue(leg, queue, timeoutMs, recording, docUrl, signal);
			else if (conference) outcome = await this.#dialConference(leg, conference, docUrl, signal);
			else {
				const targets = nouns.filter((n) => n.name === 'Client' || n.name === 'Number');
				if (!targets.length && bareNumber) targets.push({ name: 'Number', attrs: {}, children: [bareNumber] });
				outcome = await this.#dialTargets(leg, verb, targets, timeoutMs, recording, docUrl, signal);
			}
		} catch (err) {
			if (!(err instanceof Interrupted) || err.reason !== HANGUP) throw err;
			hungUp = true;
			outcome = (err as Interrupted & { dial?: typeof outcome }).dial ?? { status: 'canceled', dialSid: null, seconds: null, recording: null };
		}
		if (!verb.attrs.action) {
			if (hungUp) throw new Interrupted(HANGUP);
			return 'continue';
		}
		const params: Record<string, string> = {
			DialCallStatus: outcome.status,
			...(outcome.dialSid ? { DialCallSid: outcome.dialSid } : {}),
			...(outcome.seconds !== null ? { DialCallDuration: String(outcome.seconds), DialBridged: 'true' } : { DialBridged: 'false' }),
			...(outcome.recording ? { RecordingUrl: outcome.recording.url, RecordingSid: outcome.recording.sid } : {})
		};
		const next: Source = { kind: 'dial-action', url: this.resolve(verb.attrs.action, docUrl), method: method(verb.attrs.method), params };
		if (hungUp) {
			// Twilio still requests the action after the caller hung up; the answer is ignored.
			await this.#load(leg, { ...next, notifyOnly: true }, new AbortController().signal);
			throw new Interrupted(HANGUP);
		}
		return { next };
	}

	/** Ring one leg's party; resolves with how the ringing ended. */
	async #ring(
		child: Leg,
		target: string,
		customParameters: Map<string, string>,
		timeoutMs: number,
		signal: AbortSignal,
		from: string
	): Promise<'answered' | 'busy' | 'no-answer' | 'canceled'> {
		this.carrier.advanceCall(child.sid, 'initiated');
		this.carrier.advanceCall(child.sid, 'ringing');
		const offers: LegParty[] = [];
		if (target.startsWith('client:')) {
			const devices = [...(this.devices.get(target.slice('client:'.length)) ?? [])];
			const calls = devices.map(
				() =>
					new DeviceCall(this, {
						sid: child.sid,
						parameters: { CallSid: child.sid, AccountSid: this.carrier.accountSid, From: from, To: target },
						customParameters,
						direction: 'INCOMING'
					})
			);
			offers.push(...calls);
			child.offers = offers;
			calls.forEach((call, n) => devices[n]?.offer(call));
		} else {
			const phone = this.phones.get(target);
			if (phone) {
				const call = new PhoneCall(this, { sid: child.sid, from, to: target, direction: 'incoming' });
				offers.push(call);
				child.offers = offers;
				phone.ring(call);
				if (phone.autoAnswer) void this.clock.sleep(this.#options.answerDelayMs ?? 2000).then(() => call.answer());
			} else if (this.#options.answerDelayMs !== null) {
				const virtual = new PhoneCall(this, { sid: child.sid, from, to: target, direction: 'incoming' });
				child.offers = [virtual];
				void this.clock.sleep(this.#options.answerDelayMs ?? 2000).then(() => virtual.answer());
			}
		}
		let woke: boolean;
		try {
			woke = await this.#wait(timeoutMs, signal, (wake) => {
				if (child.ringOutcome || child.hangupRequested) wake();
				child.ringListeners.add(wake);
				return () => child.ringListeners.delete(wake);
			});
		} catch (err) {
			await this.#complete(child, 'canceled');
			throw err;
		}
		if (child.finalized) return 'canceled';
		if (!woke) {
			await this.#complete(child, 'no-answer');
			return 'no-answer';
		}
		if (child.ringOutcome === 'answered') return 'answered';
		await this.#complete(child, child.ringOutcome === 'declined' ? 'busy' : 'canceled');
		return child.ringOutcome === 'declined' ? 'busy' : 'canceled';
	}

	async #dialTargets(
		leg: Leg,
		verb: XmlElement,
		targets: XmlElement[],
		timeoutMs: number,
		recording: Bridge['recording'],
		docUrl: string,
		signal: AbortSignal
	): Promise<{ status: string; dialSid: string | null; seconds: number | null; recording: { url: string; sid: string } | null }> {
		const parent = this.#call(leg);
		const callerId = verb.attrs.callerId ?? parent.from;
		const ringing = linked(signal);
		let winner: Leg | null = null;
		const results = targets.map(async (noun) => {
			const isClient = noun.name === 'Client';
			const identity = elementsOf(noun).find((n) => n.name === 'Identity');
			const address = isClient ? `client:${identity ? textOf(identity) : textOf(noun)}` : textOf(noun);
			const params = new Map<string, string>();
			for (const p of elementsOf(noun)) if (p.name === 'Parameter' && p.attrs.name) params.set(p.attrs.name, p.attrs.value ?? '');
			const events = (noun.attrs.statusCallbackEvent ?? '').split(/[\s,]+/).filter(Boolean) as CallProgressEvent[];
			const call = this.carrier.openLeg({
				from: isClient ? parent.from : callerId,
				to: address,
				direction: 'outbound-dial',
				status: 'queued',
				parentCallSid: leg.sid,
				statusCallback: noun.attrs.statusCallback ? this.resolve(noun.attrs.statusCallback, docUrl) : null,
				statusCallbackMethod: method(noun.attrs.statusCallbackMethod),
				statusCallbackEvent: events.length ? events : ['completed']
			});
			const child = this.#leg(call.sid, null);
			const result = await this.#ring(child, address, params, timeoutMs, ringing.signal, isClient ? parent.from : callerId).catch((err: unknown) => {
				if (err instanceof Interrupted) return 'canceled' as const;
				throw err;
			});
			if (result === 'answered' && !winner) {
				winner = child;
				ringing.abort('lost');
			} else if (result === 'answered') {
				await this.#complete(child, 'canceled');
			}
			return result;
		});
		const settled = await Promise.all(results).finally(() => ringing.release());
		if (signal.aborted) throw new Interrupted(signal.reason);
		const child = winner as Leg | null;
		if (!child) {
			const status = settled.includes('busy') && settled.every((s) => s === 'busy' || s === 'canceled') ? 'busy' : settled.includes('no-answer') ? 'no-answer' : 'failed';
			return { status: status === 'failed' && settled.length === 0 ? 'failed' : status, dialSid: null, seconds: null, recording: null };
		}
		this.#answer(leg);
		this.carrier.advanceCall(child.sid, 'in-progress');
		child.answered = true;
		child.party?.answered();
		const bridge = this.#bridge(leg, child, recording);
		try {
			await this.#waitBridge(bridge, signal, attrNum(verb.attrs.timeLimit, 14_400) * 1000);
		} catch (err) {
			if (err instanceof Interrupted) {
				const ended = await this.#endBridge(bridge);
				await this.#complete(child);
				Object.assign(err, { dial: { status: 'completed', dialSid: child.sid, seconds: ended.seconds, recording: ended.recording } });
			}
			throw err;
		}
		const ended = await this.#endBridge(bridge);
		await this.#complete(child);
		return { status: 'completed', dialSid: child.sid, seconds: ended.seconds, recording: ended.recording };
	}

	// --- queues -------------------------------------------------------------------------------

	#queue(name: string, maxSize = 100): LocalQueue {
		let q = this.queues.get(name);
		if (!q) {
			q = { sid: newSid('QU'), name, entries: [], maxSize, waitTimes: [], listeners: new Set() };
			this.queues.set(name, q);
		}
		return q;
	}

	#queueTime(entry: QueueEntry): number {
		return Math.round((this.clock.now().getTime() - entry.enqueuedAt) / 1000);
	}

	async #enqueue(leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
		const name = textOf(verb);
		const queue = this.#queue(name, attrNum(verb.attrs.maxQueueSize, 100));
		const entry: QueueEntry = { leg, enqueuedAt: this.clock.now().getTime(), bridge: null, dequeue: null };
		let result: string;
		let interrupted: Interrupted | null = null;
		if (queue.entries.length >= queue.maxSize) {
			result = 'queue-full';
			this.#warn(leg, 21611, `Queue ${name} is full (${queue.maxSize})`, docUrl);
		} else {
			queue.entries.push(entry);
			for (const wake of [...queue.listeners]) wake();
			const waiting = linked(signal);
			entry.dequeue = () => waiting.abort('dequeued');
			try {
				const left = await this.#waitLoop(leg, queue, entry, verb, docUrl, waiting.signal);
				result = left;
			} catch (err) {
				if (!(err instanceof Interrupted)) throw err;
				if (!signal.aborted && waiting.signal.reason === 'dequeued') {
					// Bridged by a <Dial><Queue>: wait here until that bridge ends.
					try {
						await this.#wait(FOREVER, signal, (wake) => {
							if (entry.bridge?.closed) wake();
							entry.bridge?.listeners.add(wake);
							return () => entry.bridge?.listeners.delete(wake);
						});
					} catch (inner) {
						if (!(inner instanceof Interrupted)) throw inner;
						interrupted = inner;
						if (entry.bridge) this.#closeBridge(entry.bridge);
					}
					result = 'bridged';
				} else {
					interrupted = err;
					result = err.reason === HANGUP ? 'hangup' : 'redirected';
				}
			} finally {
				waiting.release();
				queue.entries = queue.entries.filter((e) => e !== entry);
				queue.waitTimes.push(this.#queueTime(entry));
			}
		}
		const params = { QueueResult: result, QueueSid: queue.sid, QueueTime: String(this.#queueTime(entry)) };
		if (!verb.attrs.action) {
			if (interrupted) throw interrupted;
			return 'continue';
		}
		const next: Source = { kind: 'enqueue-action', url: this.resolve(verb.attrs.action, docUrl), method: method(verb.attrs.method), params };
		if (interrupted) {
			await this.#load(leg, { ...next, notifyOnly: true }, new AbortController().signal);
			throw interrupted;
		}
		return { next };
	}

	/** Run the wait URL again and again while the caller waits; resolves 'leave' on <Leave>. */
	async #waitLoop(leg: Leg, queue: LocalQueue, entry: QueueEntry, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<string> {
		let waitUrl = verb.attrs.waitUrl ? this.resolve(verb.attrs.waitUrl, docUrl) : null;
		let waitMethod = method(verb.attrs.waitUrlMethod);
		for (;;) {
			if (!waitUrl) {
				this.#hear(leg, '[hold music]');
				await this.clock.sleep(FOREVER, signal);
				continue;
			}
			const started = this.clock.now().getTime();
			const avg = queue.waitTimes.length ? Math.round(queue.waitTimes.reduce((a, b) => a + b, 0) / queue.waitTimes.length) : 0;
			const result = await this.dispatcher.request({
				kind: 'queue-wait',
				url: waitUrl,
				method: waitMethod,
				params: this.#params(leg, {
					QueuePosition: String(queue.entries.indexOf(entry) + 1),
					QueueSid: queue.sid,
					QueueTime: String(this.#queueTime(entry)),
					AvgQueueTime: String(avg),
					CurrentQueueSize: String(queue.entries.length),
					MaxQueueSize: String(queue.maxSize)
				}),
				callSid: leg.sid
			});
			if (signal.aborted) throw new Interrupted(signal.reason);
			let root: XmlElement | null = null;
			if (result.outcome.ok) {
				try {
					root = parseVoiceTwiml(result.outcome.body);
				} catch (err) {
					this.#twimlFailure(leg, err, waitUrl);
				}
			}
			const base = result.documentUrl;
			let redirectedTo: { url: string; method: 'GET' | 'POST' } | null = null;
			for (const v of root ? elementsOf(root) : []) {
				if (v.name === 'Say') await this.#say(leg, v, signal);
				else if (v.name === 'Play') await this.#play(leg, v, signal);
				else if (v.name === 'Pause') await this.clock.sleep(attrNum(v.attrs.length, 1) * 1000, signal);
				else if (v.name === 'Leave') return 'leave';
				else if (v.name === 'Hangup') {
					this.#hangup(leg);
					throw new Interrupted(HANGUP);
				} else if (v.name === 'Redirect') {
					redirectedTo = { url: this.resolve(textOf(v), base), method: method(v.attrs.method) };
					break;
				} else if (v.name === 'Gather') {
					const step = await this.#gather(leg, v, base, signal);
					if (typeof step === 'object' && 'kind' in step.next) {
						redirectedTo = { url: step.next.url, method: step.next.method };
						break;
					}
				} else this.#warn(leg, 12200, `<${v.name}> is not allowed in a queue's wait TwiML and was skipped`, base);
			}
			if (redirectedTo) {
				waitUrl = redirectedTo.url;
				waitMethod = redirectedTo.method;
			}
			// An empty or failing wait document must not spin: Twilio's loop always takes time.
			if (this.clock.now().getTime() - started < 1000) await this.clock.sleep(result.outcome.ok && root ? 1000 : 5000, signal);
		}
	}

	async #dialQueue(
		leg: Leg,
		noun: XmlElement,
		timeoutMs: number,
		recording: Bridge['recording'],
		docUrl: string,
		signal: AbortSignal
	): Promise<{ status: string; dialSid: string | null; seconds: number | null; recording: { url: string; sid: string } | null }> {
		const queue = this.#queue(textOf(noun));
		const found = await this.#wait(timeoutMs, signal, (wake) => {
			if (queue.entries.some((e) => !e.bridge)) wake();
			queue.listeners.add(wake);
			return () => queue.listeners.delete(wake);
		});
		const entry = queue.entries.find((e) => !e.bridge);
		if (!found || !entry) return { status: 'no-answer', dialSid: null, seconds: null, recording: null };
		const caller = entry.leg;
		const bridge = this.#bridge(caller, leg, recording);
		entry.bridge = bridge;
		const queueTime = this.#queueTime(entry);
		queue.entries = queue.entries.filter((e) => e !== entry);
		entry.dequeue?.();
		this.#answer(leg);
		if (noun.attrs.url) {
			// The url's TwiML plays to the dequeued caller before the bridge (Play, Say, Pause, Redirect).
			const result = await this.dispatcher.request({
				kind: 'dial-queue-url',
				url: this.resolve(noun.attrs.url, docUrl),
				method: method(noun.attrs.method),
				params: this.#params(caller, { QueueSid: queue.sid, QueueTime: String(queueTime), DequeingCallSid: leg.sid }),
				callSid: caller.sid
			});
			if (result.outcome.ok) {
				try {
					const root = parseVoiceTwiml(result.outcome.body);
					for (const v of elementsOf(root)) {
						if (v.name === 'Say') await this.#say(caller, v, signal);
						else if (v.name === 'Play') await this.#play(caller, v, signal);
						else if (v.name === 'Pause') await this.clock.sleep(attrNum(v.attrs.length, 1) * 1000, signal);
						else this.#warn(caller, 12200, `<${v.name}> is not allowed in a <Queue url> document and was skipped`, result.documentUrl);
					}
				} catch (err) {
					if (err instanceof Interrupted) throw err;
					this.#twimlFailure(caller, err, result.documentUrl);
				}
			}
		}
		bridge.startedAt = this.clock.now().getTime();
		try {
			await this.#waitBridge(bridge, signal);
		} catch (err) {
			if (err instanceof Interrupted) {
				const ended = await this.#endBridge(bridge);
				Object.assign(err, { dial: { status: 'completed', dialSid: caller.sid, seconds: ended.seconds, recording: ended.recording } });
			}
			throw err;
		}
		const ended = await this.#endBridge(bridge);
		return { status: 'completed', dialSid: caller.sid, seconds: ended.seconds, recording: ended.recording };
	}

	// --- conferences --------------------------------------------------------------------------

	#conferenceEvent(conf: Conference, event: string, extra: Record<string, string> = {}): void {
		const short = event.replace(/^(conference|participant)-/, '');
		const wanted = conf.events.has(short) || (short === 'unhold' && conf.events.has('hold')) || (short === 'unmute' && conf.events.has('mute'));
		if (!conf.statusCallback || !wanted) return;
		this.dispatcher.notify({
			kind: 'conference-status',
			url: conf.statusCallback,
			params: {
				AccountSid: this.carrier.accountSid,
				ConferenceSid: conf.sid,
				FriendlyName: conf.name,
				SequenceNumber: String(conf.sequence++),
				StatusCallbackEvent: event,
				Timestamp: rfc2822(this.clock.now()),
				...extra
			}
		});
	}

	#participantFields(p: Participant): Record<string, string> {
		return {
			CallSid: p.leg.sid,
			Coaching: String(p.coaching),
			EndConferenceOnExit: String(p.endOnExit),
			Hold: String(p.hold),
			Muted: String(p.muted),
			StartConferenceOnEnter: String(p.startOnEnter),
			...(p.label ? { ParticipantLabel: p.label } : {})
		};
	}

	#endConference(conf: Conference, reason: string, by: string | null): void {
		if (conf.status === 'completed') return;
		const wasStarted = conf.status === 'in-progress';
		conf.status = 'completed';
		conf.reasonEnded = reason;
		conf.callSidEnding = by;
		conf.dateUpdated = this.clock.now();
		for (const p of conf.participants.values()) p.leave?.();
		if (wasStarted) this.#conferenceEvent(conf, 'conference-end', { ReasonConferenceEnded: reason, ...(by ? { CallSidEndingConference: by } : {}) });
		this.conferences.delete(conf.name);
	}

	#ensureConference(name: string, attrs: Record<string, string>, docUrl: string): Conference {
		let conf = this.conferences.get(name);
		if (!conf) {
			const now = this.clock.now();
			conf = {
				sid: newSid('CF'),
				name,
				status: 'init',
				participants: new Map(),
				statusCallback: attrs.statusCallback ? this.resolve(attrs.statusCallback, docUrl) : null,
				events: new Set((attrs.statusCallbackEvent ?? '').split(/[\s,]+/).filter(Boolean)),
				sequence: 0,
				dateCreated: now,
				dateUpdated: now,
				reasonEnded: null,
				callSidEnding: null
			};
			this.conferences.set(name, conf);
		}
		return conf;
	}

	async #joinConference(leg: Leg, name: string, attrs: Record<string, string>, docUrl: string, signal: AbortSignal, label: string | null = null): Promise<number> {
		const conf = this.#ensureConference(name, attrs, docUrl);
		const participant: Participant = {
			leg,
			label,
			hold: false,
			muted: attrBool(attrs.muted, false),
			coaching: attrBool(attrs.coach ? 'true' : attrs.coaching, false),
			callSidToCoach: attrs.coach ?? attrs.callSidToCoach ?? null,
			startOnEnter: attrBool(attrs.startConferenceOnEnter, true),
			endOnExit: attrBool(attrs.endConferenceOnExit, false),
			joinedAt: this.clock.now(),
			status: 'connected',
			leave: null
		};
		const joined = this.clock.now().getTime();
		conf.participants.set(leg.sid, participant);
		if (conf.status === 'init' && participant.startOnEnter) {
			conf.status = 'in-progress';
			this.#conferenceEvent(conf, 'conference-start');
		}
		this.#conferenceEvent(conf, 'participant-join', this.#participantFields(participant));
		const current = conf;
		try {
			await this.#wait(FOREVER, signal, (wake) => {
				participant.leave = wake;
				if (current.status === 'completed') wake();
				return () => {
					participant.leave = null;
				};
			});
		} finally {
			participant.status = 'complete';
			current.participants.delete(leg.sid);
			this.#conferenceEvent(current, 'participant-leave', this.#participantFields(participant));
			if (participant.endOnExit) this.#endConference(current, 'participant-with-end-conference-on-exit-left', leg.sid);
			else if (current.participants.size === 0) this.#endConference(current, 'last-participant-left', leg.sid);
		}
		return Math.round((this.clock.now().getTime() - joined) / 1000);
	}

	async #dialConference(
		leg: Leg,
		noun: XmlElement,
		docUrl: string,
		signal: AbortSignal
	): Promise<{ status: string; dialSid: string | null; seconds: number | null; recording: null }> {
		const seconds = await this.#joinConference(leg, textOf(noun), noun.attrs, docUrl, signal).catch((err: unknown) => {
			if (err instanceof Interrupted) Object.assign(err, { dial: { status: 'completed', dialSid: null, seconds: null, recording: null } });
			throw err;
		});
		return { status: 'completed', dialSid: null, seconds, recording: null };
	}

	#findConference(sidOrName: string): Conference | null {
		for (const c of this.conferences.values()) if (c.sid === sidOrName || c.name === sidOrName) return c;
		return null;
	}

	#conferenceOrThrow(sidOrName: string): Conference {
		const conf = this.#findConference(sidOrName);
		if (!conf) {
			throw new AdapterError(`The requested resource /Conferences/${sidOrName} was not found`, { port: 'telephony', adapter: 'local', status: 404, vendorCode: 20404, retryable: false });
		}
		return conf;
	}

	#conferenceView(c: Conference): ConferenceView {
		return {
			sid: c.sid,
			accountSid: this.carrier.accountSid,
			friendlyName: c.name,
			status: c.status,
			dateCreated: c.dateCreated,
			dateUpdated: c.dateUpdated,
			reasonEnded: c.reasonEnded,
			callSidEnding: c.callSidEnding
		};
	}

	#participantView(c: Conference, p: Participant): ParticipantView {
		return {
			callSid: p.leg.sid,
			conferenceSid: c.sid,
			accountSid: this.carrier.accountSid,
			label: p.label,
			hold: p.hold,
			muted: p.muted,
			coaching: p.coaching,
			callSidToCoach: p.callSidToCoach,
			startConferenceOnEnter: p.startOnEnter,
			endConferenceOnExit: p.endOnExit,
			status: p.status,
			dateCreated: p.joinedAt,
			dateUpdated: this.clock.now()
		};
	}

	listConferences(filter: { friendlyName?: string | null; status?: string | null }): ConferenceView[] {
		return [...this.conferences.values()]
			.filter((c) => (!filter.friendlyName || c.name === filter.friendlyName) && (!filter.status || c.status === filter.status))
			.map((c) => this.#conferenceView(c));
	}

	getConference(sidOrName: string): ConferenceView {
		return this.#conferenceView(this.#conferenceOrThrow(sidOrName));
	}

	updateConference(sidOrName: string, update: { status?: string | null }): ConferenceView {
		const conf = this.#conferenceOrThrow(sidOrName);
		const view = this.#conferenceView(conf);
		if (update.status === 'completed') {
			this.#endConference(conf, 'conference-ended-via-api', null);
			return { ...view, status: 'completed', reasonEnded: 'conference-ended-via-api' };
		}
		return view;
	}

	listParticipants(sidOrName: string): ParticipantView[] {
		const conf = this.#conferenceOrThrow(sidOrName);
		return [...conf.participants.values()].map((p) => this.#participantView(conf, p));
	}

	#participantOrThrow(conf: Conference, callSid: string): Participant {
		const p = conf.participants.get(callSid);
		if (!p) {
			throw new AdapterError(`The requested resource /Conferences/${conf.sid}/Participants/${callSid} was not found`, {
				port: 'telephony',
				adapter: 'local',
				status: 404,
				vendorCode: 20404,
				retryable: false
			});
		}
		return p;
	}

	getParticipant(sidOrName: string, callSid: string): ParticipantView {
		const conf = this.#conferenceOrThrow(sidOrName);
		return this.#participantView(conf, this.#participantOrThrow(conf, callSid));
	}

	updateParticipant(sidOrName: string, callSid: string, update: ParticipantUpdate): ParticipantView {
		const conf = this.#conferenceOrThrow(sidOrName);
		const p = this.#participantOrThrow(conf, callSid);
		if (update.coaching === true && update.callSidToCoach) {
			const coached = conf.participants.get(update.callSidToCoach);
			if (coached?.hold) {
				throw new AdapterError('Cannot coach a participant that is on hold', { port: 'telephony', adapter: 'local', status: 400, vendorCode: 16025, retryable: false });
			}
		}
		if (update.hold !== undefined && update.hold !== p.hold) {
			p.hold = update.hold;
			this.#conferenceEvent(conf, p.hold ? 'participant-hold' : 'participant-unhold', this.#participantFields(p));
			if (p.hold) {
				if (update.holdUrl) {
					const leg = p.leg;
					this.#track(
						this.dispatcher
							.request({ kind: 'hold-url', url: this.resolve(update.holdUrl), method: update.holdMethod ?? 'POST', params: this.#params(leg), callSid: leg.sid })
							.then((r) => {
								if (!r.outcome.ok) return;
								try {
									for (const v of elementsOf(parseVoiceTwiml(r.outcome.body))) {
										if (v.name === 'Say') this.#hear(leg, textOf(v));
										else if (v.name === 'Play') this.#hear(leg, `[play ${textOf(v)}]`);
									}
								} catch (err) {
									this.#twimlFailure(leg, err, r.documentUrl);
								}
							})
					);
				} else this.#hear(p.leg, '[hold music]');
			}
		}
		if (update.muted !== undefined && update.muted !== p.muted) {
			p.muted = update.muted;
			this.#conferenceEvent(conf, p.muted ? 'participant-mute' : 'participant-unmute', this.#participantFields(p));
		}
		if (update.coaching !== undefined || update.callSidToCoach !== undefined) {
			p.coaching = update.coaching ?? p.coaching;
			p.callSidToCoach = update.callSidToCoach ?? p.callSidToCoach;
			this.#conferenceEvent(conf, 'participant-modify', this.#participantFields(p));
		}
		return this.#participantView(conf, p);
	}

	removeParticipant(sidOrName: string, callSid: string): void {
		const conf = this.#conferenceOrThrow(sidOrName);
		const p = this.#participantOrThrow(conf, callSid);
		p.leave?.();
	}

	addParticipant(sidOrName: string, input: ParticipantInput): ParticipantView {
		const existing = this.#findConference(sidOrName);
		const name = existing?.name ?? sidOrName;
		const call = this.carrier.openLeg({
			from: input.from,
			to: input.to,
			direction: 'outbound-api',
			status: 'queued',
			statusCallback: input.statusCallback ?? null,
			statusCallbackEvent: input.statusCallbackEvent ?? ['completed'],
			timeoutSeconds: input.timeoutSeconds ?? 60
		});
		const leg = this.#leg(call.sid, null);
		const attrs: Record<string, string> = {
			startConferenceOnEnter: String(input.startConferenceOnEnter ?? true),
			endConferenceOnExit: String(input.endConferenceOnExit ?? false),
			muted: String(input.muted ?? false),
			...(input.coaching ? { coaching: 'true' } : {}),
			...(input.callSidToCoach ? { callSidToCoach: input.callSidToCoach } : {}),
			...(input.conferenceStatusCallback ? { statusCallback: input.conferenceStatusCallback } : {}),
			...(input.conferenceStatusCallbackEvent ? { statusCallbackEvent: input.conferenceStatusCallbackEvent.join(' ') } : {})
		};
		this.#track(
			(async () => {
				const ctl = new AbortController();
				leg.run = ctl;
				try {
					const result = await this.#ring(leg, input.to, new Map(), (input.timeoutSeconds ?? 60) * 1000, ctl.signal, input.from);
					if (result !== 'answered') return;
					this.#answer(leg);
					await this.#joinConference(leg, name, attrs, `${this.publicBaseUrl}/`, ctl.signal, input.label ?? null);
				} catch (err) {
					if (!(err instanceof Interrupted)) throw err;
				} finally {
					if (leg.run === ctl) leg.run = null;
					await this.#complete(leg);
				}
			})()
		);
		const conf = this.#ensureConference(name, attrs, `${this.publicBaseUrl}/`);
		const now = this.clock.now();
		return {
			callSid: call.sid,
			conferenceSid: conf.sid,
			accountSid: this.carrier.accountSid,
			label: input.label ?? null,
			hold: false,
			muted: input.muted ?? false,
			coaching: input.coaching ?? false,
			callSidToCoach: input.callSidToCoach ?? null,
			startConferenceOnEnter: input.startConferenceOnEnter ?? true,
			endConferenceOnExit: input.endConferenceOnExit ?? false,
			status: 'queued',
			dateCreated: now,
			dateUpdated: now
		};
	}

	// --- Record -------------------------------------------------------------------------------

	async #record(leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
		const maxLength = attrNum(verb.attrs.maxLength, 3600);
		const silenceMs = attrNum(verb.attrs.timeout, 5) * 1000;
		const finishOnKey = verb.attrs.finishOnKey ?? '1234567890*#';
		if (attrBool(verb.attrs.playBeep, true)) this.#hear(leg, '[beep]');
		const lines = leg.script.filter((l) => l.speaker === 'customer');
		leg.script = leg.script.filter((l) => l.speaker !== 'customer');
		const speechSeconds = Math.min(maxLength, lines.length ? lines.reduce((s, l) => s + estimateSpeechSeconds(l.text), 0) : 3);
		const started = this.clock.now().getTime();
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
			if (await this.#wait(speechSeconds * 1000, signal, keyPressed)) digits = [...leg.digits].find((d) => finishOnKey.includes(d)) ?? '';
			else if (speechSeconds < maxLength && (await this.#wait(silenceMs, signal, keyPressed))) digits = [...leg.digits].find((d) => finishOnKey.includes(d)) ?? '';
		} catch (err) {
			if (!(err instanceof Interrupted) || err.reason !== HANGUP) throw err;
			hungUp = true;
			digits = 'hangup';
		}
		leg.digits = '';
		const seconds = Math.min(speechSeconds, Math.round((this.clock.now().getTime() - started) / 1000));
		const statusCallback = verb.attrs.recordingStatusCallback ? this.resolve(verb.attrs.recordingStatusCallback, docUrl) : null;
		const events = (verb.attrs.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
		if (seconds < 1) {
			if (statusCallback && events.includes('absent')) {
				this.dispatcher.notify({
					kind: 'recording-status',
					url: statusCallback,
					method: method(verb.attrs.recordingStatusCallbackMethod),
					params: { AccountSid: this.carrier.accountSid, CallSid: leg.sid, ErrorCode: '0', RecordingSource: 'RecordVerb', RecordingStatus: 'absent' }
				});
			}
			if (hungUp) throw new Interrupted(HANGUP);
			return 'continue';
		}
		const body = await this.clock.track(renderConversation({ seconds, channels: 1, utterances: lines.map((l) => ({ channel: 0, text: l.text })) }));
		const rec = this.carrier.addRecording({ callSid: leg.sid, body, durationSeconds: seconds, channels: 1, source: 'RecordVerb' });
		if (statusCallback && events.includes('completed')) {
			this.dispatcher.notify({
				kind: 'recording-status',
				url: statusCallback,
				method: method(verb.attrs.recordingStatusCallbackMethod),
				params: this.#recordingParams(leg, rec, seconds, 1, 'RecordVerb', started),
				callSid: leg.sid
			});
		}
		if (attrBool(verb.attrs.transcribe, false) || verb.attrs.transcribeCallback) {
			const text = lines.map((l) => l.text).join(' ');
			const ok = seconds >= 2 && seconds <= 120 && text.length > 0;
			if (verb.attrs.transcribeCallback) {
				const sid = newSid('TR');
				this.dispatcher.notify({
					kind: 'transcription',
					url: this.resolve(verb.attrs.transcribeCallback, docUrl),
					params: this.#params(leg, {
						RecordingSid: rec.sid,
						RecordingUrl: rec.url,
						TranscriptionSid: sid,
						TranscriptionStatus: ok ? 'completed' : 'failed',
						TranscriptionText: ok ? text : '',
						TranscriptionUrl: `${this.carrier.apiBaseUrl}/2010-04-01/Accounts/${this.carrier.accountSid}/Transcriptions/${sid}`
					}),
					callSid: leg.sid
				});
			}
		}
		const params = { RecordingUrl: rec.url, RecordingDuration: String(seconds), RecordingSid: rec.sid, Digits: digits };
		const action = verb.attrs.action;
		if (!action) {
			// Without an action Twilio requests the current document again, which loops; stop runaway loops.
			leg.recordLoops++;
			if (leg.recordLoops > (this.#options.maxRecordLoops ?? 10)) {
				this.#warn(leg, 12100, `<Record> without action re-requested ${docUrl} ${leg.recordLoops - 1} times; the local carrier ended the call`, docUrl);
				return 'end';
			}
		}
		const next: Source = { kind: 'record-action', url: this.resolve(action ?? docUrl, docUrl), method: method(verb.attrs.method), params };
		if (hungUp) {
			await this.#load(leg, { ...next, notifyOnly: true }, new AbortController().signal);
			throw new Interrupted(HANGUP);
		}
		return { next };
	}

	// --- outbound API calls, redirects, messages ----------------------------------------------

	async #outbound(call: LocalCall): Promise<void> {
		const leg = this.#leg(call.sid, null);
		const ctl = new AbortController();
		leg.run = ctl;
		let result: 'answered' | 'busy' | 'no-answer' | 'canceled';
		try {
			result = await this.#ring(leg, call.to, new Map(), call.timeoutSeconds * 1000, ctl.signal, call.from);
		} catch (err) {
			if (!(err instanceof Interrupted)) throw err;
			result = 'canceled';
		} finally {
			if (leg.run === ctl) leg.run = null;
		}
		if (result !== 'answered' || leg.finalized) return;
		if (call.record) leg.callRecording = { startedAt: this.clock.now().getTime() };
		this.#answer(leg);
		const current = this.#call(leg);
		const source: Source =
			'twiml' in current.instructions
				? { twiml: current.instructions.twiml, baseUrl: `${this.publicBaseUrl}/` }
				: { kind: 'voice', url: current.instructions.url, method: current.instructions.method };
		await this.#run(leg, source);
	}

	#onRedirect(call: LocalCall): void {
		const leg = this.legs.get(call.sid);
		if (!leg || leg.finalized || !leg.answered) return;
		const source: Source =
			'twiml' in call.instructions
				? { twiml: call.instructions.twiml, baseUrl: `${this.publicBaseUrl}/` }
				: { kind: 'redirect', url: call.instructions.url, method: call.instructions.method };
		// A bridged child (an agent's leg) leaves its bridge; the parent's <Dial> then ends.
		this.#closeBridge(leg.bridge);
		leg.run?.abort({ redirect: true });
		leg.run = null;
		this.#track(this.#run(leg, source));
	}

	async #deliverMessage(message: LocalMessage): Promise<void> {
		const steps: [number, 'sending' | 'sent' | 'delivered'][] = [
			[100, 'sending'],
			[400, 'sent'],
			[1000, 'delivered']
		];
		for (const [ms, status] of steps) {
			await this.clock.sleep(ms);
			const current = this.carrier.messages.get(message.sid);
			if (!current || current.status === 'failed' || current.status === 'undelivered' || current.status === 'canceled') return;
			const phone = this.phones.get(message.to);
			if (status === 'delivered' && phone) {
				const text: PhoneText = {
					sid: message.sid,
					direction: 'received',
					from: message.from,
					to: message.to,
					body: message.body,
					mediaUrls: [...message.mediaUrls],
					status: 'delivered',
					webhook: null
				};
				this.#phoneTexts.set(message.sid, text);
				phone.record(text, 'text');
			}
			this.carrier.advanceMessage(message.sid, status);
		}
	}

	#messagingReply(inbound: LocalMessage, body: string, docUrl: string): void {
		if (!body.trim()) return;
		let root: XmlElement;
		try {
			root = parseMessagingTwiml(body);
		} catch (err) {
			if (!(err instanceof TwimlError)) throw err;
			this.dispatcher.alert({ level: 'error', code: 12100, message: `Document parse failure: ${err.message}`, url: docUrl, kind: 'sms', callSid: null, messageSid: inbound.sid });
			return;
		}
		for (const verb of elementsOf(root)) {
			if (verb.name !== 'Message') continue;
			const bodyEl = elementsOf(verb).find((e) => e.name === 'Body');
			const media = elementsOf(verb)
				.filter((e) => e.name === 'Media')
				.map((e) => this.resolve(textOf(e), docUrl));
			try {
				this.carrier.sendMessage(
					{
						from: verb.attrs.from ?? inbound.to,
						to: verb.attrs.to ?? inbound.from,
						body: bodyEl ? textOf(bodyEl) : textOf(verb),
						...(media.length ? { mediaUrls: media } : {}),
						...(verb.attrs.action ? { statusCallback: this.resolve(verb.attrs.action, docUrl) } : {})
					},
					{ direction: 'outbound-reply' }
				);
			} catch (err) {
				if (!(err instanceof AdapterError)) throw err;
				this.dispatcher.alert({ level: 'error', code: Number(err.vendorCode ?? 12300), message: err.message, url: docUrl, kind: 'sms', callSid: null, messageSid: inbound.sid });
			}
		}
	}
}
