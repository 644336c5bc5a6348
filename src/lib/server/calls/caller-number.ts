/**
 * `From`/`To` as the carrier sends them are not always phone numbers: `anonymous`, Twilio's
 * placeholder numbers for withheld callers, `client:<identity>` (a softphone) and SIP URIs are
 * all legitimate. Those belong to no customer; everything else is normalized to E.164.
 */
import { AppError } from '../errors';
import { normalizePhone } from '../crm/normalize-phone';

/** Twilio's stand-ins for callers it cannot name: unknown, restricted, blocked, unavailable, anonymous. */
const PLACEHOLDER_NUMBERS = new Set(['+266696687', '+7378742833', '+2562533', '+86282452253', '+8656696']);

/**
 * Parsing with libphonenumber costs a few percent of an incoming call's CPU (profiled under the
 * 50-concurrent burst), and `To` is always one of a few Switchboard numbers: answers are kept,
 * and the whole memo is dropped once it holds this many.
 */
const MEMO_LIMIT = 5_000;
const memo = new Map<string, string | null>();

/** The E.164 number, or null when `raw` is not a reachable phone number. Never throws. */
export function phoneNumberOrNull(raw: string): string | null {
	const known = memo.get(raw);
	if (known !== undefined) return known;
	const answer = parsePhoneNumberOrNull(raw);
	if (memo.size >= MEMO_LIMIT) memo.clear();
	memo.set(raw, answer);
	return answer;
}

function parsePhoneNumberOrNull(raw: string): string | null {
	const value = raw.trim();
	if (value === '' || /^(anonymous|unknown|restricted|private)$/i.test(value)) return null;
	if (/^(client|sip|sips):/i.test(value) || value.includes('@')) return null;
	if (PLACEHOLDER_NUMBERS.has(value)) return null;
	try {
		return normalizePhone(value).e164;
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID_PHONE') return null;
		throw error;
	}
}

const AGENT_PREFIX = 'agent_';

/**
 * The softphone identity an agent registers with, which `<Dial><Client>` rings. Twilio allows
 * letters, digits and underscore only (at most 256), so any other character of the user id (a
 * UUID's hyphens) is written `_<hex code point>_`; better-auth's own ids are letters and digits.
 */
export function agentClientIdentity(userId: string): string {
	return AGENT_PREFIX + userId.replace(/[^A-Za-z0-9]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}

/** The agent's user id from `client:agent_<id>` (an agent leg's `To`), or null. */
export function agentIdFromClient(address: string): string | null {
	const m = /^client:agent_(.+)$/.exec(address.trim());
	if (!m?.[1]) return null;
	return m[1].replace(/_([0-9a-f]{1,6})_/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}
