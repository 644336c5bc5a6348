/**
 * The account's numbers and its TwiML App (IncomingPhoneNumbers, Applications), and how a call or
 * text to a number is routed now.
 */
import { resourceNotFound } from './carrier-error';
import type { ApplicationSettings, ApplicationView, NumberSettings, PhoneNumberView } from './rest';
import type { EngineState, NumberConfig, OwnedNumber } from './state';
import { newSid, resolve } from './util';

/** The defaults and constructor overrides for `number`, before anything was written over REST. */
export function configuredNumber(s: EngineState, number: string): NumberConfig {
	const d = s.options.defaults ?? {};
	const n = s.options.numbers?.[number] ?? {};
	const pick = <K extends keyof NumberConfig>(k: K, fallback: NumberConfig[K]): NumberConfig[K] => (k in n ? n[k] : k in d ? d[k] : fallback) as NumberConfig[K];
	const abs = (v: string | null) => (v ? resolve(s, v) : null);
	return {
		voiceUrl: resolve(s, pick('voiceUrl', '/webhooks/twilio/voice')),
		voiceMethod: pick('voiceMethod', 'POST'),
		voiceFallbackUrl: abs(pick('voiceFallbackUrl', null)),
		voiceFallbackMethod: pick('voiceFallbackMethod', 'POST'),
		statusCallback: abs(pick('statusCallback', '/webhooks/twilio/voice/status')),
		statusCallbackMethod: pick('statusCallbackMethod', 'POST'),
		smsUrl: resolve(s, pick('smsUrl', '/webhooks/twilio/sms')),
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
export function numberConfig(s: EngineState, number: string): NumberConfig {
	const configured = configuredNumber(s, number);
	const owned = s.owned.get(number);
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

/**
 * Whether the account owns `number` (bought: IncomingPhoneNumbers, or configured for a test engine
 * with `CarrierEngineOptions.numbers`): Twilio only lets an owned or verified number be the caller
 * ID of a call to a phone (REST 21210, `<Dial callerId>` 13214).
 */
export function ownsNumber(s: EngineState, number: string): boolean {
	return s.owned.has(number) || Object.hasOwn(s.options.numbers ?? {}, number);
}

/**
 * Put `number` on the account, as buying it in Twilio's console does: it starts blank (no
 * fallback, no status callback; an empty VoiceUrl and SmsUrl reach the carrier's defaults, its
 * stand-in for Twilio's demo URLs) until it is configured over REST. Buying a number the
 * account has changes nothing.
 */
export function ownNumber(s: EngineState, number: string, friendlyName = number): PhoneNumberView {
	const existing = s.owned.get(number);
	if (existing) return numberView(s, existing);
	const now = s.clock.now();
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
	s.owned.set(number, owned);
	return numberView(s, owned);
}

export function numberView(s: EngineState, o: OwnedNumber): PhoneNumberView {
	return { ...o.settings, sid: o.sid, accountSid: s.carrier.accountSid, phoneNumber: o.phoneNumber, dateCreated: o.dateCreated, dateUpdated: o.dateUpdated };
}

export function ownedBySid(s: EngineState, sid: string): OwnedNumber {
	for (const o of s.owned.values()) if (o.sid === sid) return o;
	throw resourceNotFound(`/IncomingPhoneNumbers/${sid}.json`);
}

export function listNumbers(s: EngineState, filter: { phoneNumber?: string | null; friendlyName?: string | null }): PhoneNumberView[] {
	// Twilio matches partial numbers, `*` standing for any one digit.
	const pattern = filter.phoneNumber ? new RegExp(filter.phoneNumber.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\d')) : null;
	return [...s.owned.values()]
		.filter((o) => !pattern || pattern.test(o.phoneNumber))
		.filter((o) => !filter.friendlyName || o.settings.friendlyName === filter.friendlyName)
		.map((o) => numberView(s, o));
}

export function getNumber(s: EngineState, sid: string): PhoneNumberView {
	return numberView(s, ownedBySid(s, sid));
}

/** Write `update` (already validated whole by the REST layer) onto the number; it counts from the next call or text. */
export function updateNumber(s: EngineState, sid: string, update: Partial<NumberSettings>): PhoneNumberView {
	const owned = ownedBySid(s, sid);
	owned.settings = { ...owned.settings, ...update };
	owned.dateUpdated = s.clock.now();
	return numberView(s, owned);
}

export function application(s: EngineState): ApplicationView {
	if (!s.application) {
		const now = s.clock.now();
		s.application = {
			sid: s.carrier.applicationSid,
			accountSid: s.carrier.accountSid,
			friendlyName: 'Switchboard softphones',
			voiceUrl: resolve(s, s.options.applicationVoiceUrl ?? '/webhooks/twilio/voice'),
			voiceMethod: 'POST',
			voiceFallbackUrl: '',
			voiceFallbackMethod: 'POST',
			statusCallback: '',
			statusCallbackMethod: 'POST',
			dateCreated: now,
			dateUpdated: now
		};
	}
	return s.application;
}

export function getApplication(s: EngineState, sid: string): ApplicationView {
	const app = application(s);
	if (sid !== app.sid) throw resourceNotFound(`/Applications/${sid}.json`);
	return { ...app };
}

export function updateApplication(s: EngineState, sid: string, update: Partial<ApplicationSettings>): ApplicationView {
	const app = getApplication(s, sid);
	s.application = { ...app, ...update, dateUpdated: s.clock.now() };
	return { ...s.application };
}
