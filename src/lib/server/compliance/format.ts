/** How the ledger shows a number in refusals and exports: `+1 415 555 0100`, unambiguous across countries. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export function formatInternational(e164: string): string {
	return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
