/** How a stored E.164 number is shown to staff: national style at home, international otherwise. */
import { getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { DEFAULT_PHONE_COUNTRY } from './normalize-phone';

const HOME_CALLING_CODE = getCountryCallingCode(DEFAULT_PHONE_COUNTRY);

/** `+14155550100` -> `(415) 555-0100`; `+442079460958` -> `+44 20 7946 0958`; unparsable input comes back unchanged. */
export function formatPhone(e164: string, extension?: string | null): string {
	const parsed = parsePhoneNumberFromString(e164);
	const base = !parsed
		? e164
		: parsed.countryCallingCode === HOME_CALLING_CODE
			? parsed.formatNational()
			: parsed.formatInternational();
	return extension ? `${base} ext. ${extension}` : base;
}
