/**
 * Each Switchboard number's outbound throughput, as Twilio enforces it per sender: about one
 * segment per second on a long code, three on a toll-free number, and whatever a number's
 * override in config says (SMS_RATE_OVERRIDES). The dispatcher spaces a number's sends by it.
 */
import type { SmsRates } from '../env';

export type SenderKind = 'long_code' | 'toll_free';

/** North American toll-free prefixes. */
const TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;

export function senderKind(phone: string): SenderKind {
	return TOLL_FREE.test(phone) ? 'toll_free' : 'long_code';
}

/** Segments per second `phone` may hand to the carrier. */
export function senderRate(rates: SmsRates, phone: string): number {
	return rates.overrides[phone] ?? (senderKind(phone) === 'toll_free' ? rates.tollFree : rates.longCode);
}

/** How long a text of `segments` holds the number's send slot, in milliseconds. */
export function sendSpacingMs(rates: SmsRates, phone: string, segments: number): number {
	return Math.ceil((Math.max(1, segments) * 1000) / senderRate(rates, phone));
}

export const DEFAULT_SMS_RATES: SmsRates = { longCode: 1, tollFree: 3, overrides: {} };
