/** The shapes the carrier's REST layer speaks: requests, responses, the route table's entries, and what it needs from the engine. */
import type { CallProgressEvent } from '../../port';
import type { LocalCarrier } from '../local-carrier';

export interface RestRequest {
	method: string;
	/** Path below the carrier's base URL, e.g. `/2010-04-01/Accounts/AC.../Messages.json`. */
	path: string;
	/** Form fields (POST body, or the query string on GET). */
	form: URLSearchParams;
	authorization: string | undefined;
}

export interface RestResponse {
	status: number;
	contentType: string;
	body: string | Uint8Array;
}

export interface LocalRestOptions {
	/** Decides whether HTTP Basic credentials (account SID + auth token, or API key + secret) may act. */
	authorize(username: string, password: string): boolean;
	/** Conferences and participants, served when the carrier engine runs. */
	conferences?: ConferenceRest;
	/** IncomingPhoneNumbers and Applications, served when the carrier engine runs. */
	numbers?: NumberRest;
}

type HttpMethod = 'GET' | 'POST';

/** What an operator sets on a number in Twilio's console; an empty URL is unset, as in Twilio. */
export interface NumberSettings {
	friendlyName: string;
	voiceUrl: string;
	voiceMethod: HttpMethod;
	voiceFallbackUrl: string;
	voiceFallbackMethod: HttpMethod;
	statusCallback: string;
	statusCallbackMethod: HttpMethod;
	smsUrl: string;
	smsMethod: HttpMethod;
	smsFallbackUrl: string;
	smsFallbackMethod: HttpMethod;
	/** Set, these make Twilio ignore the number's VoiceUrl/SmsUrl ('' or absent = unset). */
	voiceApplicationSid?: string;
	smsApplicationSid?: string;
	trunkSid?: string;
	/** False for a voice-only number (capabilities.sms and .mms); absent = true. */
	smsCapable?: boolean;
}

export interface PhoneNumberView extends NumberSettings {
	sid: string;
	accountSid: string;
	phoneNumber: string;
	dateCreated: Date;
	dateUpdated: Date;
}

/** The voice side of a TwiML App (what browser-originated calls request). */
export type ApplicationSettings = Pick<
	NumberSettings,
	'friendlyName' | 'voiceUrl' | 'voiceMethod' | 'voiceFallbackUrl' | 'voiceFallbackMethod' | 'statusCallback' | 'statusCallbackMethod'
>;

export interface ApplicationView extends ApplicationSettings {
	sid: string;
	accountSid: string;
	dateCreated: Date;
	dateUpdated: Date;
}

/** What the IncomingPhoneNumbers and Applications paths need from the carrier engine; errors are AdapterErrors with Twilio codes. */
export interface NumberRest {
	listNumbers(filter: { phoneNumber?: string | null; friendlyName?: string | null }): PhoneNumberView[];
	getNumber(sid: string): PhoneNumberView;
	updateNumber(sid: string, update: Partial<NumberSettings>): PhoneNumberView;
	getApplication(sid: string): ApplicationView;
	updateApplication(sid: string, update: Partial<ApplicationSettings>): ApplicationView;
}

export interface ConferenceView {
	sid: string;
	accountSid: string;
	friendlyName: string;
	status: 'init' | 'in-progress' | 'completed';
	dateCreated: Date;
	dateUpdated: Date;
	reasonEnded: string | null;
	callSidEnding: string | null;
}

export interface ParticipantView {
	callSid: string;
	conferenceSid: string;
	accountSid: string;
	label: string | null;
	hold: boolean;
	muted: boolean;
	coaching: boolean;
	callSidToCoach: string | null;
	startConferenceOnEnter: boolean;
	endConferenceOnExit: boolean;
	status: 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';
	dateCreated: Date;
	dateUpdated: Date;
}

export interface ParticipantUpdate {
	hold?: boolean;
	holdUrl?: string;
	holdMethod?: 'GET' | 'POST';
	muted?: boolean;
	coaching?: boolean;
	callSidToCoach?: string;
	announceUrl?: string;
	announceMethod?: 'GET' | 'POST';
	endConferenceOnExit?: boolean;
	beepOnExit?: boolean;
	waitUrl?: string;
	waitMethod?: 'GET' | 'POST';
}

/** Twilio's Participants create fields the twin acts on (the client's names, see twilio's participant.d.ts). */
export interface ParticipantInput {
	from: string;
	to: string;
	label?: string;
	earlyMedia?: boolean;
	beep?: string;
	muted?: boolean;
	coaching?: boolean;
	callSidToCoach?: string;
	startConferenceOnEnter?: boolean;
	endConferenceOnExit?: boolean;
	statusCallback?: string;
	statusCallbackMethod?: 'GET' | 'POST';
	statusCallbackEvent?: CallProgressEvent[];
	conferenceStatusCallback?: string;
	conferenceStatusCallbackMethod?: 'GET' | 'POST';
	conferenceStatusCallbackEvent?: string[];
	conferenceRecord?: string;
	conferenceRecordingStatusCallback?: string;
	conferenceRecordingStatusCallbackMethod?: 'GET' | 'POST';
	conferenceRecordingStatusCallbackEvent?: string[];
	record?: boolean;
	timeoutSeconds?: number;
	waitUrl?: string;
	waitMethod?: 'GET' | 'POST';
}

/** What the conference REST paths need from the carrier engine; errors are AdapterErrors with Twilio codes. */
export interface ConferenceRest {
	listConferences(filter: { friendlyName?: string | null; status?: string | null }): ConferenceView[];
	getConference(sidOrName: string): ConferenceView;
	updateConference(sidOrName: string, update: { status?: string | null; announceUrl?: string | null; announceMethod?: string | null }): ConferenceView;
	listParticipants(sidOrName: string): ParticipantView[];
	getParticipant(sidOrName: string, callSid: string): ParticipantView;
	updateParticipant(sidOrName: string, callSid: string, update: ParticipantUpdate): ParticipantView;
	removeParticipant(sidOrName: string, callSid: string): void;
	addParticipant(sidOrName: string, input: ParticipantInput): ParticipantView;
}

/** What a route's handler gets: the carrier, the options, the request and where it points below the account. */
export interface RouteContext {
	carrier: LocalCarrier;
	options: LocalRestOptions;
	request: RestRequest;
	form: URLSearchParams;
	/** `/2010-04-01/Accounts/{AccountSid}/`. */
	accountPath: string;
	/** The path below `accountPath`, e.g. `Calls/CA....json`. */
	rest: string;
}

/** One entry of the route table: a method and a path pattern below the account, anchored, its groups handed to `handle`. */
export interface Route {
	method: 'GET' | 'POST' | 'DELETE';
	path: RegExp;
	handle(ctx: RouteContext, groups: string[]): RestResponse;
}
