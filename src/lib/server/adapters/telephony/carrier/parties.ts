/**
 * The people on both ends of local calls. `ClientDevice`/`DeviceCall` mirror the Voice SDK's
 * Device and Call (same method and event names, `customParameters` from <Parameter>), so a
 * local softphone channel can forward them to the browser unchanged. `CustomerPhone` is a
 * programmable handset on the phone network: it calls any number from its caller ID, presses
 * keys, hangs up, answers, and sends and receives texts with their delivery statuses.
 */
import { EventEmitter } from 'node:events';
import type { MediaEvent, MediaSignal } from '../../../../media/media-signal';
import type { CallStatus, MessageStatus } from '../port';

/** A script line a scripted call speaks; `customer` lines come from the phone, `agent` lines from the softphone. */
export interface ScriptLine {
	speaker: 'customer' | 'agent';
	text: string;
}

/** What the carrier engine offers parties; implemented by CarrierEngine. */
export interface PartyHost {
	phoneCall(phone: CustomerPhone, to: string, options: { script?: ScriptLine[] }): PhoneCall;
	phoneText(phone: CustomerPhone, to: string, body: string, mediaUrls: string[], attachments?: PhoneAttachment[]): Promise<PhoneText>;
	answer(callSid: string, party: LegParty): void;
	decline(callSid: string, party: LegParty): void;
	hangUp(callSid: string): void;
	pressKeys(callSid: string, digits: string): void;
	deviceConnect(device: ClientDevice, params: Record<string, string>): DeviceCall;
	deviceRegistered(device: ClientDevice, registered: boolean): void;
	/** Relay a WebRTC signal from the party on `callSid` to the other side of its bridge (or its conference link to `peer`); false when it has none that takes audio. */
	relayMedia(callSid: string, signal: MediaSignal, peer?: string): boolean;
}

/** The far end of a call leg, as the engine talks to it. */
export interface LegParty {
	/** Said or played to this party (Say text, `[play url]`, `[beep]`). */
	hear(text: string): void;
	answered(): void;
	/** The far end of a call this party placed is ringing (a softphone's outgoing call, answerOnBridge). */
	ringing?(hasEarlyMedia: boolean): void;
	/** The carrier stopped offering the call before it was answered. */
	canceled(): void;
	ended(status: CallStatus): void;
	/** Parties whose browser carries audio take the WebRTC signaling of their bridges (local only). */
	media?(event: MediaEvent): void;
	/** Whether a browser is listening for `media` right now (a bridge's audio starts only when both sides have one). */
	takesMedia?(): boolean;
}

// --- agent softphones -------------------------------------------------------------------------

export type DeviceCallStatus = 'pending' | 'ringing' | 'connecting' | 'open' | 'closed';

export interface DeviceCallEvents {
	/** An outgoing call's far end is ringing (Voice SDK: only with `<Dial answerOnBridge>`). */
	ringing: [hasEarlyMedia: boolean];
	accept: [call: DeviceCall];
	cancel: [];
	disconnect: [call: DeviceCall];
	reject: [];
	mute: [muted: boolean, call: DeviceCall];
	error: [error: Error];
	/** Local-only: what the carrier says or plays on this leg. */
	audio: [text: string];
	/** Local-only: WebRTC signaling for the audio of this call's bridge. */
	media: [event: MediaEvent];
}

export class DeviceCall extends EventEmitter<DeviceCallEvents> implements LegParty {
	/** Voice SDK's `call.parameters`: CallSid, AccountSid, From, To. */
	readonly parameters: Record<string, string>;
	/** Voice SDK's `call.customParameters`, from <Parameter> nouns (or `connect({params})`). */
	readonly customParameters: Map<string, string>;
	readonly direction: 'INCOMING' | 'OUTGOING';
	readonly heard: string[] = [];
	#status: DeviceCallStatus;
	#muted = false;
	readonly #host: PartyHost;
	readonly #sid: string;

	constructor(host: PartyHost, init: { sid: string; parameters: Record<string, string>; customParameters: Map<string, string>; direction: 'INCOMING' | 'OUTGOING' }) {
		super();
		this.#host = host;
		this.#sid = init.sid;
		this.parameters = init.parameters;
		this.customParameters = init.customParameters;
		this.direction = init.direction;
		this.#status = init.direction === 'INCOMING' ? 'pending' : 'connecting';
	}

	get sid(): string {
		return this.#sid;
	}

	status(): DeviceCallStatus {
		return this.#status;
	}

	isMuted(): boolean {
		return this.#muted;
	}

	accept(): void {
		if (this.#status !== 'pending') return;
		this.#status = 'connecting';
		this.#host.answer(this.#sid, this);
	}

	reject(): void {
		if (this.#status !== 'pending') return;
		this.#status = 'closed';
		this.emit('reject');
		this.#host.decline(this.#sid, this);
	}

	/** Stop ringing locally without answering or rejecting (the call keeps ringing elsewhere). */
	ignore(): void {
		if (this.#status === 'pending') this.#status = 'closed';
	}

	disconnect(): void {
		if (this.#status === 'closed') return;
		this.#host.hangUp(this.#sid);
	}

	mute(shouldMute = true): void {
		if (this.#muted === shouldMute) return;
		this.#muted = shouldMute;
		this.emit('mute', shouldMute, this);
	}

	sendDigits(digits: string): void {
		if (!/^[0-9*#w]+$/.test(digits)) {
			this.emit('error', new Error('Illegal characters passed into sendDigits'));
			return;
		}
		this.#host.pressKeys(this.#sid, digits.replace(/w/g, ''));
	}

	hear(text: string): void {
		this.heard.push(text);
		this.emit('audio', text);
	}

	ringing(hasEarlyMedia: boolean): void {
		if (this.direction !== 'OUTGOING' || (this.#status !== 'connecting' && this.#status !== 'ringing')) return;
		this.#status = 'ringing';
		this.emit('ringing', hasEarlyMedia);
	}

	answered(): void {
		if (this.#status === 'open' || this.#status === 'closed') return;
		this.#status = 'open';
		this.emit('accept', this);
	}

	canceled(): void {
		if (this.#status === 'closed') return;
		if (this.direction === 'OUTGOING') return this.ended();
		this.#status = 'closed';
		this.emit('cancel');
	}

	media(event: MediaEvent): void {
		this.emit('media', event);
	}

	takesMedia(): boolean {
		return this.listenerCount('media') > 0;
	}

	/** Send a WebRTC signal to the other side of this call's bridge (or to conference participant `peer`); false when nobody there takes audio. */
	sendMedia(signal: MediaSignal, peer?: string): boolean {
		return this.#status !== 'closed' && this.#host.relayMedia(this.#sid, signal, peer);
	}

	/** The call is over. An outgoing call always ends with `disconnect` (the SDK's `cancel` is for incoming ones). */
	ended(): void {
		if (this.#status === 'closed') return;
		const wasOpen = this.direction === 'OUTGOING' || this.#status === 'open' || this.#status === 'connecting';
		this.#status = 'closed';
		if (wasOpen) this.emit('disconnect', this);
		else this.emit('cancel');
	}
}

export interface ClientDeviceEvents {
	registered: [];
	unregistered: [];
	incoming: [call: DeviceCall];
	error: [error: Error];
	destroyed: [];
}

export class ClientDevice extends EventEmitter<ClientDeviceEvents> {
	readonly identity: string;
	readonly calls: DeviceCall[] = [];
	#state: 'unregistered' | 'registered' | 'destroyed' = 'unregistered';
	readonly #host: PartyHost;

	constructor(host: PartyHost, identity: string) {
		super();
		this.#host = host;
		this.identity = identity;
	}

	get state(): 'unregistered' | 'registered' | 'destroyed' {
		return this.#state;
	}

	register(): void {
		if (this.#state !== 'unregistered') return;
		this.#state = 'registered';
		this.#host.deviceRegistered(this, true);
		this.emit('registered');
	}

	unregister(): void {
		if (this.#state !== 'registered') return;
		this.#state = 'unregistered';
		this.#host.deviceRegistered(this, false);
		this.emit('unregistered');
	}

	destroy(): void {
		for (const call of this.calls) call.disconnect();
		this.unregister();
		this.#state = 'destroyed';
		this.emit('destroyed');
	}

	/** Place a call through the voice application, posting `params` to its voice URL. */
	connect(options: { params?: Record<string, string> } = {}): DeviceCall {
		const call = this.#host.deviceConnect(this, options.params ?? {});
		this.calls.push(call);
		return call;
	}

	/** Called by the engine when a call rings this device. */
	offer(call: DeviceCall): void {
		this.calls.push(call);
		this.emit('incoming', call);
	}
}

// --- customer handsets ------------------------------------------------------------------------

export interface PhoneCallEvents {
	ringing: [];
	answered: [];
	hear: [text: string];
	ended: [status: CallStatus];
	/** WebRTC signaling for the audio of this call's bridge. */
	media: [event: MediaEvent];
}

export class PhoneCall extends EventEmitter<PhoneCallEvents> implements LegParty {
	readonly sid: string;
	readonly from: string;
	readonly to: string;
	readonly direction: 'outgoing' | 'incoming';
	readonly heard: string[] = [];
	status: 'ringing' | 'in-progress' | CallStatus = 'ringing';
	readonly #host: PartyHost;

	constructor(host: PartyHost, init: { sid: string; from: string; to: string; direction: 'outgoing' | 'incoming' }) {
		super();
		this.#host = host;
		this.sid = init.sid;
		this.from = init.from;
		this.to = init.to;
		this.direction = init.direction;
	}

	pressKeys(digits: string): void {
		this.#host.pressKeys(this.sid, digits);
	}

	hangUp(): void {
		this.#host.hangUp(this.sid);
	}

	/** Answer an incoming call (a call Switchboard placed to this phone). */
	answer(): void {
		if (this.direction === 'incoming' && this.status === 'ringing') this.#host.answer(this.sid, this);
	}

	/** Decline an incoming call: the caller gets `busy`. */
	reject(): void {
		if (this.direction === 'incoming' && this.status === 'ringing') this.#host.decline(this.sid, this);
	}

	hear(text: string): void {
		this.heard.push(text);
		this.emit('hear', text);
	}

	answered(): void {
		this.status = 'in-progress';
		this.emit('answered');
	}

	canceled(): void {
		this.status = 'canceled';
		this.emit('ended', 'canceled');
	}

	ended(status: CallStatus): void {
		this.status = status;
		this.emit('ended', status);
	}

	/** The handset this call is on, set by CustomerPhone; its page listens for the media of all its calls. */
	owner: CustomerPhone | null = null;

	/** Answered by the handset's answering machine (its greeting plays to the caller; no live audio). */
	get machine(): boolean {
		return this.direction === 'incoming' && this.owner?.mode === 'voicemail';
	}

	media(event: MediaEvent): void {
		this.emit('media', event);
		this.owner?.emit('media', this.sid, event);
	}

	takesMedia(): boolean {
		if (this.machine) return false;
		return this.listenerCount('media') > 0 || (this.owner?.listenerCount('media') ?? 0) > 0;
	}

	/** Send a WebRTC signal to the other side of this call's bridge (or to conference participant `peer`); false when nobody there takes audio. */
	sendMedia(signal: MediaSignal, peer?: string): boolean {
		return this.#host.relayMedia(this.sid, signal, peer);
	}
}

/** A file a phone attaches to a text (a photo): the carrier keeps it and sends Switchboard its MediaUrl. */
export interface PhoneAttachment {
	body: Uint8Array;
	contentType: string;
}

export interface PhoneText {
	sid: string;
	direction: 'sent' | 'received';
	from: string;
	to: string;
	body: string;
	mediaUrls: string[];
	/** For texts this phone received: the carrier's status of Switchboard's outbound message. */
	status: MessageStatus;
	/** For texts this phone sent: whether Switchboard's messaging webhook accepted it, and Twilio's error code if not. */
	webhook: { ok: boolean; errorCode: number | null } | null;
}

export type PhoneMode = 'ring' | 'busy' | 'voicemail';
export const PHONE_MODES: readonly PhoneMode[] = ['ring', 'busy', 'voicemail'];
export const DEFAULT_GREETING = 'Hi, you have reached my voicemail. Please leave a message after the tone.';

export interface CustomerPhoneEvents {
	incoming: [call: PhoneCall];
	text: [text: PhoneText];
	'text-status': [text: PhoneText];
	/** WebRTC signaling for one of this phone's calls. */
	media: [callSid: string, event: MediaEvent];
}

export class CustomerPhone extends EventEmitter<CustomerPhoneEvents> {
	readonly number: string;
	readonly texts: PhoneText[] = [];
	readonly calls: PhoneCall[] = [];
	/** Answer incoming calls by itself after the carrier's answer delay. */
	autoAnswer: boolean;
	/**
	 * How calls to this handset go: `ring` (someone answers, declines: busy, or lets it ring out:
	 * no-answer), `busy` (the line is engaged: the caller gets busy without ringing), `voicemail`
	 * (an answering machine picks up after `voicemailAfterMs` and plays `greeting` to the caller).
	 */
	mode: PhoneMode = 'ring';
	greeting = DEFAULT_GREETING;
	voicemailAfterMs = 4000;
	readonly #host: PartyHost;

	constructor(host: PartyHost, number: string, options: { autoAnswer?: boolean } = {}) {
		super();
		this.#host = host;
		this.number = number;
		this.autoAnswer = options.autoAnswer ?? false;
	}

	/** Dial `to` (usually a Switchboard number) from this phone's number. */
	call(to: string, options: { script?: ScriptLine[] } = {}): PhoneCall {
		const call = this.#host.phoneCall(this, to, options);
		call.owner = this;
		this.calls.push(call);
		return call;
	}

	async text(to: string, body: string, mediaUrls: string[] = [], attachments: PhoneAttachment[] = []): Promise<PhoneText> {
		const text = await this.#host.phoneText(this, to, body, mediaUrls, attachments);
		return text;
	}

	/** Called by the engine. */
	ring(call: PhoneCall): void {
		call.owner = this;
		this.calls.push(call);
		this.emit('incoming', call);
	}

	/** Called by the engine. */
	record(text: PhoneText, change: 'text' | 'text-status'): void {
		if (!this.texts.includes(text)) this.texts.push(text);
		this.emit(change, text);
	}
}
