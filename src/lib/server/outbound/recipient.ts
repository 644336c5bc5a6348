/**
 * Who a dialled number reaches, as far as the gate needs it: whether it may be dialled at all
 * (valid, not a short code, not premium-rate, domestic unless international is allowed) and
 * where it rings (region and time zones) for the calling window.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { areaCodeInfo } from './nanp-area-codes';
import type { RuleSet } from './rule-set';

export type NumberRefusal = 'INVALID_NUMBER' | 'SHORT_CODE' | 'PREMIUM_RATE' | 'INTERNATIONAL_NOT_ALLOWED';

export type Recipient =
	| {
			ok: true;
			e164: string;
			country: string | null;
			region: string | null;
			zones: readonly string[];
	  }
	| { ok: false; rule: NumberRefusal; message: string };

/** Non-geographic North American numbers (toll-free, personal): the window must be open across the continental US. */
const CONTINENTAL_US = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];

/** Countries with a single time zone, for international numbers a deployment allows. */
const COUNTRY_ZONES: Readonly<Record<string, string>> = {
	GB: 'Europe/London',
	IE: 'Europe/Dublin',
	FR: 'Europe/Paris',
	DE: 'Europe/Berlin',
	ES: 'Europe/Madrid',
	IT: 'Europe/Rome',
	NL: 'Europe/Amsterdam',
	BE: 'Europe/Brussels',
	CH: 'Europe/Zurich',
	AT: 'Europe/Vienna',
	SE: 'Europe/Stockholm',
	NO: 'Europe/Oslo',
	DK: 'Europe/Copenhagen',
	FI: 'Europe/Helsinki',
	PL: 'Europe/Warsaw',
	PT: 'Europe/Lisbon',
	IN: 'Asia/Kolkata',
	JP: 'Asia/Tokyo',
	SG: 'Asia/Singapore',
	HK: 'Asia/Hong_Kong',
	IL: 'Asia/Jerusalem',
	ZA: 'Africa/Johannesburg',
	PH: 'Asia/Manila',
	NZ: 'Pacific/Auckland',
	PR: 'America/Puerto_Rico'
};

const shown = (input: string) => `'${input.length > 40 ? `${input.slice(0, 40)}…` : input}'`;

/** Judge `input` (E.164 or a national number in the first home country). */
export function readRecipient(input: string, rules: RuleSet): Recipient {
	const raw = input.trim();
	const digits = raw.replace(/[\s().-]/g, '');
	if (/^[0-9]{3,6}$/.test(digits)) {
		return {
			ok: false,
			rule: 'SHORT_CODE',
			message: `${shown(raw)} is a short code: short codes take texts from services, they cannot be dialled or texted from Switchboard.`
		};
	}
	const home = rules.homeCountries[0] ?? 'US';
	const parsed = raw.length <= 40 ? parsePhoneNumberFromString(raw, home as 'US') : undefined;
	if (!parsed || !parsed.isValid()) {
		return {
			ok: false,
			rule: 'INVALID_NUMBER',
			message: `${shown(raw)} is not a valid phone number; check the area code and digits, e.g. +1 415 555 0100.`
		};
	}
	const e164 = parsed.number;
	if (parsed.getType() === 'PREMIUM_RATE') {
		return {
			ok: false,
			rule: 'PREMIUM_RATE',
			message: `${e164} is a premium-rate number: calling it charges per minute, so Switchboard does not dial it.`
		};
	}
	const country = parsed.country ?? null;
	if (!rules.allowInternational && (!country || !rules.homeCountries.includes(country))) {
		return {
			ok: false,
			rule: 'INTERNATIONAL_NOT_ALLOWED',
			message: `${e164} is an international number (${country ?? `+${parsed.countryCallingCode}`}); this deployment only dials ${rules.homeCountries.join(', ')} numbers.`
		};
	}
	if (parsed.countryCallingCode === '1' && (country === 'US' || country === 'CA')) {
		const info = areaCodeInfo(parsed.nationalNumber.slice(0, 3));
		return info
			? { ok: true, e164, country, region: info.region, zones: info.zones }
			: { ok: true, e164, country, region: null, zones: CONTINENTAL_US };
	}
	const zone = country ? COUNTRY_ZONES[country] : undefined;
	return { ok: true, e164, country, region: null, zones: zone ? [zone] : [] };
}
