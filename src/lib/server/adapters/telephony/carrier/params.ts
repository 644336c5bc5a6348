/**
 * The form parameters Twilio puts on voice and messaging webhooks, built in one place so every
 * callback kind carries the same names and value formats (geo fields for phone numbers only,
 * `client:` parties without them, as Twilio sends).
 */
import type { CallDirection, CallStatus } from '../port';
import { E164 } from '../../../../phone-rules';

export const API_VERSION = '2010-04-01';

interface Geo {
	City: string;
	State: string;
	Zip: string;
	Country: string;
}

/** A few US area codes, enough for demo numbers to look like Twilio's lookups. */
const AREA: Record<string, [string, string, string]> = {
	'212': ['NEW YORK', 'NY', '10001'],
	'206': ['SEATTLE', 'WA', '98101'],
	'303': ['DENVER', 'CO', '80202'],
	'312': ['CHICAGO', 'IL', '60601'],
	'415': ['SAN FRANCISCO', 'CA', '94105'],
	'512': ['AUSTIN', 'TX', '78701'],
	'617': ['BOSTON', 'MA', '02108'],
	'702': ['LAS VEGAS', 'NV', '89101']
};
const COUNTRY: [string, string][] = [
	['+1', 'US'],
	['+44', 'GB'],
	['+49', 'DE'],
	['+33', 'FR'],
	['+34', 'ES'],
	['+61', 'AU'],
	['+52', 'MX']
];

/** Twilio's geo lookup for an E.164 number, or null for clients, SIP URIs and `anonymous`. */
export function geoOf(party: string): Geo | null {
	if (!E164.test(party)) return null;
	const country = COUNTRY.find(([prefix]) => party.startsWith(prefix))?.[1] ?? '';
	const area = country === 'US' ? AREA[party.slice(2, 5)] : undefined;
	return { City: area?.[0] ?? '', State: area?.[1] ?? '', Zip: area?.[2] ?? '', Country: country };
}

function geoFields(prefix: string, party: string): Record<string, string> {
	const geo = geoOf(party);
	if (!geo) return {};
	return { [`${prefix}City`]: geo.City, [`${prefix}State`]: geo.State, [`${prefix}Zip`]: geo.Zip, [`${prefix}Country`]: geo.Country };
}

/** The parameters of every voice request and status callback for a call leg. */
export interface CallFacts {
	sid: string;
	accountSid: string;
	from: string;
	to: string;
	status: CallStatus;
	direction: CallDirection;
	parentCallSid: string | null;
	/** A softphone's call through the TwiML App (`Device.connect`). */
	applicationSid?: string | null;
}

export interface InboundMessageFacts {
	sid: string;
	accountSid: string;
	from: string;
	to: string;
	body: string;
	numMedia: number;
	numSegments: number;
	mediaUrls: string[];
	/** The type of each media file the carrier keeps itself; others are guessed from the URL. */
	mediaContentTypes?: (string | null)[];
}

export function callParams(call: CallFacts): Record<string, string> {
	if (call.applicationSid) {
		// A Client-originated call: To is what the SDK sent (empty without one), Called is empty, no geo fields.
		return {
			AccountSid: call.accountSid,
			ApiVersion: API_VERSION,
			ApplicationSid: call.applicationSid,
			CallSid: call.sid,
			CallStatus: call.status,
			Called: '',
			Caller: call.from,
			Direction: call.direction,
			From: call.from,
			To: call.to
		};
	}
	return {
		AccountSid: call.accountSid,
		ApiVersion: API_VERSION,
		CallSid: call.sid,
		CallStatus: call.status,
		Called: call.to,
		Caller: call.from,
		Direction: call.direction,
		From: call.from,
		To: call.to,
		...geoFields('Called', call.to),
		...geoFields('Caller', call.from),
		...geoFields('From', call.from),
		...geoFields('To', call.to),
		...(call.parentCallSid ? { ParentCallSid: call.parentCallSid } : {})
	};
}

/** An inbound message as Twilio posts it to the number's messaging URL. */
export function inboundSmsParams(m: InboundMessageFacts, messagingServiceSid: string | null): Record<string, string> {
	const media: Record<string, string> = {};
	m.mediaUrls.forEach((url, n) => {
		media[`MediaUrl${n}`] = url;
		media[`MediaContentType${n}`] = m.mediaContentTypes?.[n] ?? (/\.png$/i.test(url) ? 'image/png' : /\.gif$/i.test(url) ? 'image/gif' : 'image/jpeg');
	});
	return {
		AccountSid: m.accountSid,
		ApiVersion: API_VERSION,
		Body: m.body,
		From: m.from,
		MessageSid: m.sid,
		NumMedia: String(m.numMedia),
		NumSegments: String(m.numSegments),
		SmsMessageSid: m.sid,
		SmsSid: m.sid,
		SmsStatus: 'received',
		To: m.to,
		...geoFields('From', m.from),
		...geoFields('To', m.to),
		...(messagingServiceSid ? { MessagingServiceSid: messagingServiceSid } : {}),
		...media
	};
}
