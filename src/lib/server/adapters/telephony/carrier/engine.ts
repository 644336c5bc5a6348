/**
 * The carrier engine: the phone network and Twilio's call platform around a LocalCarrier.
 * It rings parties (agent devices, customer phones), asks Switchboard for TwiML over signed
 * webhooks and runs it with Twilio's semantics (queues, dials, bridges, conferences,
 * recordings), and delivers texts with status callbacks. All waiting goes through the Clock.
 *
 * `CarrierEngine` is a facade: the state lives in one `EngineState` (state.ts) and each job in
 * its own module, given that state: legs.ts (legs and their lifecycle), originate.ts (calls
 * entering the network), numbers.ts, handsets.ts, bridges.ts, queues.ts, conferences.ts,
 * participants.ts, recordings.ts, messaging.ts, media-relay.ts, runtime.ts and verbs/ (one
 * module per TwiML verb).
 */
import { logger } from '../../../log';
import type { MediaSignal } from '../../../../media/media-signal';
import type { LocalCarrier } from './local-carrier';
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
import { RealClock, type Clock } from './clock';
import { audioRouting, conferenceOfCall, conferenceOrThrow, getConference, listConferences, updateConference, type AudioRouting } from './conferences';
import { device, deviceFromToken, deviceRegistered, phone } from './handsets';
import { answerOffer, declineOffer, hangUp, heard, liveCalls, onCallStatus, pressKeys } from './legs';
import { relayMedia } from './media-relay';
import { deliverMessage, onMessageStatus, phoneText } from './messaging';
import { getApplication, getNumber, listNumbers, numberConfig, ownNumber, ownsNumber, updateApplication, updateNumber } from './numbers';
import { deviceConnect, onRedirect, outbound, phoneCall } from './originate';
import type { ClientDevice, CustomerPhone, DeviceCall, LegParty, PartyHost, PhoneAttachment, PhoneCall, PhoneText, ScriptLine } from './parties';
import { addParticipant, getParticipant, listParticipants, removeParticipant, updateParticipant } from './participants';
import { updateCallRecording } from './recordings';
import { Scenario } from './scenario';
import type { CarrierEngineOptions, Conference, EngineState, Leg, LocalQueue, NumberConfig } from './state';
import { resolve, track } from './util';
import { WebhookDispatcher } from './webhooks';

export type { CarrierEngineOptions, NumberConfig } from './state';

export class CarrierEngine implements PartyHost, ConferenceRest, NumberRest {
	readonly carrier: LocalCarrier;
	readonly dispatcher: WebhookDispatcher;
	readonly clock: Clock;
	readonly publicBaseUrl: string;
	readonly legs: Map<string, Leg>;
	readonly queues: Map<string, LocalQueue>;
	readonly conferences: Map<string, Conference>;
	readonly phones: Map<string, CustomerPhone>;
	readonly devices: Map<string, Set<ClientDevice>>;
	/** Drive calls, texts, agents and webhook deliveries from tests, demos and the CLI. */
	readonly scenario: Scenario = new Scenario(this);
	readonly #s: EngineState;

	constructor(options: CarrierEngineOptions) {
		const clock = options.clock ?? new RealClock();
		const s: EngineState = {
			carrier: options.carrier,
			dispatcher: new WebhookDispatcher({ sign: (url, params) => options.carrier.sign(url, params), clock, timeoutMs: options.webhookTimeoutMs }),
			clock,
			publicBaseUrl: options.publicBaseUrl.replace(/\/+$/, ''),
			options,
			log: logger('carrier'),
			host: this,
			legs: new Map(),
			queues: new Map(),
			conferences: new Map(),
			phones: new Map(),
			devices: new Map(),
			phoneTexts: new Map(),
			owned: new Map(),
			application: null
		};
		this.#s = s;
		this.carrier = s.carrier;
		this.dispatcher = s.dispatcher;
		this.clock = s.clock;
		this.publicBaseUrl = s.publicBaseUrl;
		this.legs = s.legs;
		this.queues = s.queues;
		this.conferences = s.conferences;
		this.phones = s.phones;
		this.devices = s.devices;
		s.carrier.recordingControl = (callSid, recordingSid, input) => updateCallRecording(s, callSid, recordingSid, input);
		s.carrier.callerIdAllowed = (from) => ownsNumber(s, from);
		s.carrier.on('call', (call) => track(s, outbound(s, call)));
		s.carrier.on('call-status', (call, callback) => onCallStatus(s, call, callback));
		s.carrier.on('call-redirect', (call) => onRedirect(s, call));
		s.carrier.on('message', (message) => track(s, deliverMessage(s, message)));
		s.carrier.on('message-status', (message, callback) => onMessageStatus(s, message, callback));
	}

	// --- configuration: numbers and the TwiML App (numbers.ts) ----------------------------------

	/** Absolute URL for a path (or URL) relative to `base` (Switchboard's base URL by default). */
	resolve(url: string, base?: string): string {
		return base === undefined ? resolve(this.#s, url) : resolve(this.#s, url, base);
	}

	/** How the carrier treats calls and texts to `number` now (its REST settings, or the defaults). */
	numberConfig(number: string): NumberConfig {
		return numberConfig(this.#s, number);
	}

	/** Put `number` on the account blank, as buying it in Twilio's console does. */
	ownNumber(number: string, friendlyName = number): PhoneNumberView {
		return ownNumber(this.#s, number, friendlyName);
	}

	listNumbers(filter: { phoneNumber?: string | null; friendlyName?: string | null }): PhoneNumberView[] {
		return listNumbers(this.#s, filter);
	}

	getNumber(sid: string): PhoneNumberView {
		return getNumber(this.#s, sid);
	}

	updateNumber(sid: string, update: Partial<NumberSettings>): PhoneNumberView {
		return updateNumber(this.#s, sid, update);
	}

	getApplication(sid: string): ApplicationView {
		return getApplication(this.#s, sid);
	}

	updateApplication(sid: string, update: Partial<ApplicationSettings>): ApplicationView {
		return updateApplication(this.#s, sid, update);
	}

	// --- parties (handsets.ts, originate.ts, messaging.ts, legs.ts, media-relay.ts) -------------

	/** A customer handset with this number (created on first use). */
	phone(number: string, options: { autoAnswer?: boolean } = {}): CustomerPhone {
		return phone(this.#s, number, options);
	}

	/** A softphone for `identity`, not yet registered; call `register()` to receive calls. */
	device(identity: string): ClientDevice {
		return device(this.#s, identity);
	}

	/** A softphone from a token this carrier minted; null when the token does not verify. */
	deviceFromToken(token: string): ClientDevice | null {
		return deviceFromToken(this.#s, token);
	}

	/** Relay a browser's WebRTC signal: across its bridge, or along its conference link to `peer` (a call SID). */
	relayMedia(callSid: string, signal: MediaSignal, peer?: string): boolean {
		return relayMedia(this.#s, callSid, signal, peer);
	}

	deviceRegistered(device: ClientDevice, registered: boolean): void {
		deviceRegistered(this.#s, device, registered);
	}

	phoneCall(phone: CustomerPhone, to: string, options: { script?: ScriptLine[] }): PhoneCall {
		return phoneCall(this.#s, phone, to, options);
	}

	phoneText(phone: CustomerPhone, to: string, body: string, mediaUrls: string[], attachments: PhoneAttachment[] = []): Promise<PhoneText> {
		return phoneText(this.#s, phone, to, body, mediaUrls, attachments);
	}

	deviceConnect(device: ClientDevice, params: Record<string, string>): DeviceCall {
		return deviceConnect(this.#s, device, params);
	}

	answer(callSid: string, party: LegParty): void {
		answerOffer(this.#s, callSid, party);
	}

	decline(callSid: string, party: LegParty): void {
		declineOffer(this.#s, callSid, party);
	}

	hangUp(callSid: string): void {
		hangUp(this.#s, callSid);
	}

	pressKeys(callSid: string, digits: string): void {
		pressKeys(this.#s, callSid, digits);
	}

	/** What a leg's far end has heard so far (Say texts, `[play ...]`), for tests and the CLI. */
	heard(callSid: string): string[] {
		return heard(this.#s, callSid);
	}

	/** Legs whose calls are not over, for diagnostics. */
	get liveCalls(): string[] {
		return liveCalls(this.#s);
	}

	// --- recordings (recordings.ts) --------------------------------------------------------------

	/** REST `Calls/{CallSid}/Recordings/{Sid|Twilio.CURRENT}` update: pause or resume the recording on the call's bridge. */
	updateCallRecording(callSid: string, recordingSid: string, input: { status: 'paused' | 'in-progress'; pauseBehavior?: 'skip' | 'silence' }) {
		return updateCallRecording(this.#s, callSid, recordingSid, input);
	}

	// --- conferences (conferences.ts, participants.ts) -------------------------------------------

	listConferences(filter: { friendlyName?: string | null; status?: string | null }): ConferenceView[] {
		return listConferences(this.#s, filter);
	}

	getConference(sidOrName: string): ConferenceView {
		return getConference(this.#s, sidOrName);
	}

	updateConference(sidOrName: string, update: { status?: string | null; announceUrl?: string | null; announceMethod?: string | null }): ConferenceView {
		return updateConference(this.#s, sidOrName, update);
	}

	/**
	 * Who hears whom in a live conference (by SID or friendly name), as Twilio mixes it: per
	 * connected participant its hold/mute/coaching state, the call SIDs it hears, and whether it
	 * hears hold music. Throws Twilio's 20404 for a conference that is not live.
	 */
	audioRouting(sidOrName: string): AudioRouting {
		return audioRouting(conferenceOrThrow(this.#s, sidOrName));
	}

	/** The live conference a call is a participant of, with its hold and mute state; null otherwise. */
	conferenceOf(callSid: string): { conferenceSid: string; friendlyName: string; hold: boolean; muted: boolean; hearsHoldMusic: boolean } | null {
		const found = conferenceOfCall(this.#s, callSid);
		if (!found || found.participant.status !== 'connected') return null;
		const { conference, participant } = found;
		return { conferenceSid: conference.sid, friendlyName: conference.name, hold: participant.hold, muted: participant.muted, hearsHoldMusic: participant.hold };
	}

	listParticipants(sidOrName: string): ParticipantView[] {
		return listParticipants(this.#s, sidOrName);
	}

	getParticipant(sidOrName: string, callSid: string): ParticipantView {
		return getParticipant(this.#s, sidOrName, callSid);
	}

	updateParticipant(sidOrName: string, callSid: string, update: ParticipantUpdate): ParticipantView {
		return updateParticipant(this.#s, sidOrName, callSid, update);
	}

	removeParticipant(sidOrName: string, callSid: string): void {
		removeParticipant(this.#s, sidOrName, callSid);
	}

	addParticipant(sidOrName: string, input: ParticipantInput): ParticipantView {
		return addParticipant(this.#s, sidOrName, input);
	}
}
