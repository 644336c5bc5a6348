/**
 * Turns a phone number typed or received in any common format into E.164, the only form the
 * archive stores and matches on. National numbers are read in the default country (US).
 */
import { getCountryCallingCode, parsePhoneNumberWithError, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js';
import { CUSTOMER_LIMITS } from '../db/schema/crm';
import { badRequest } from '../errors';

export const DEFAULT_PHONE_COUNTRY: CountryCode = 'US';
/** Longer than any real number with an extension; stops pathological input early. */
const MAX_INPUT_LENGTH = 40;
const EXAMPLE = 'e.g. +1 415 555 0100';

export interface NormalizedPhone {
	/** `+14155550100` */
	e164: string;
	/** Digits after "ext.", "x" or ";ext=", when given. */
	extension: string | null;
	/** ISO country, when the number belongs to exactly one. */
	country: CountryCode | null;
}

export interface NormalizePhoneOptions {
	defaultCountry?: CountryCode;
}

const invalidPhone = (message: string, input: string) => badRequest('INVALID_PHONE', message, { input });

/** Show a user what they typed without letting a huge value flood the message. */
const quote = (input: string) => `'${input.length > MAX_INPUT_LENGTH ? `${input.slice(0, MAX_INPUT_LENGTH)}…` : input}'`;

/**
 * Normalize `input` to E.164, or throw AppError BAD_REQUEST/INVALID_PHONE whose message says
 * what is wrong and how to write the number. "00" and "011" international prefixes are accepted.
 */
export function normalizePhone(input: string, options: NormalizePhoneOptions = {}): NormalizedPhone {
	const defaultCountry = options.defaultCountry ?? DEFAULT_PHONE_COUNTRY;
	const raw = input.trim();
	if (raw === '') throw invalidPhone(`Enter a phone number with area code, ${EXAMPLE}.`, input);
	if (raw.length > MAX_INPUT_LENGTH) {
		throw invalidPhone(`${quote(raw)} is too long for a phone number (at most ${MAX_INPUT_LENGTH} characters).`, input);
	}
	// "00 44 20 ..." is the international prefix most of the world uses; libphonenumber only knows the default country's.
	const text = /^0[\s.-]*0[\s.-]*[1-9]/.test(raw) ? raw.replace(/^0[\s.-]*0[\s.-]*/, '+') : raw;

	const lengthProblem = validatePhoneNumberLength(text, defaultCountry);
	switch (lengthProblem) {
		case 'NOT_A_NUMBER':
			throw invalidPhone(`${quote(raw)} is not a phone number; enter digits with area code, ${EXAMPLE}.`, input);
		case 'INVALID_COUNTRY':
			throw invalidPhone(
				`${quote(raw)} has no known country code; start international numbers with + and the country code, e.g. +44 20 7946 0958.`,
				input
			);
		case 'TOO_SHORT':
			throw invalidPhone(`${quote(raw)} is too short for a phone number; enter it with area code, ${EXAMPLE}.`, input);
		case 'TOO_LONG':
			throw invalidPhone(`${quote(raw)} is too long for a phone number; check for extra digits.`, input);
		case 'INVALID_LENGTH':
			throw invalidPhone(`${quote(raw)} has the wrong number of digits for its country; check the number.`, input);
		case undefined:
			break;
	}

	let parsed;
	try {
		parsed = parsePhoneNumberWithError(text, { defaultCountry });
	} catch {
		throw invalidPhone(`${quote(raw)} is not a phone number; enter digits with area code, ${EXAMPLE}.`, input);
	}
	if (!parsed.isValid()) {
		const where = parsed.country ?? `+${parsed.countryCallingCode}`;
		throw invalidPhone(`${quote(raw)} is not a valid ${where} number; check the area code and digits, ${EXAMPLE}.`, input);
	}
	if (parsed.ext && parsed.ext.length > CUSTOMER_LIMITS.phoneExtension) {
		throw invalidPhone(`${quote(raw)} has an extension longer than ${CUSTOMER_LIMITS.phoneExtension} digits.`, input);
	}
	return { e164: parsed.number, extension: parsed.ext ?? null, country: parsed.country ?? null };
}

/** The calling code of the default country with its "+", e.g. `+1`; used to read national prefixes. */
export function defaultCallingCodePrefix(country: CountryCode = DEFAULT_PHONE_COUNTRY): string {
	return `+${getCountryCallingCode(country)}`;
}
