/**
 * The shapes of phone numbers and Twilio SIDs, in one place for the browser, the server and
 * Convex (which imports this plain module; it has no imports of its own).
 */

/**
 * E.164 without anchors, for building larger patterns: `+`, a country code not starting with 0,
 * 7 to 15 digits in all. Written with `[0-9]` so PostgreSQL's `~` reads it the same way.
 */
export const E164_SOURCE = String.raw`\+[1-9][0-9]{6,14}`;

/** A whole string that is one E.164 number, e.g. +14155550100. */
export const E164 = new RegExp(`^${E164_SOURCE}$`);

/** The archive's CHECK constraints hold phone columns to the same pattern. */
export const E164_SQL_LITERAL = `'^${E164_SOURCE}$'`;

/** An SMS thread's key: the customer's number and ours, `customerNumber|ourNumber`, both E.164. */
export const SMS_THREAD_KEY = new RegExp(`^${E164_SOURCE}\\|${E164_SOURCE}$`);

/**
 * A Twilio SID: a two-letter type prefix (CA call, SM/MM message, AC account...) and 32 hex
 * digits. Twilio issues lowercase hex; `anyCase` also accepts uppercase hex digits (never an
 * uppercase-insensitive prefix) where input from people or older tools is checked.
 */
export function sidPattern(prefixes: string | readonly string[], options: { anyCase?: boolean } = {}): RegExp {
	return new RegExp(`^${sidSource(prefixes, options)}$`);
}

/** The same SID without anchors or capture, for building larger patterns such as the carrier's REST routes. */
export function sidSource(prefixes: string | readonly string[], options: { anyCase?: boolean } = {}): string {
	const prefix = typeof prefixes === 'string' ? prefixes : `(?:${prefixes.join('|')})`;
	return `${prefix}${options.anyCase ? '[0-9a-fA-F]' : '[0-9a-f]'}{32}`;
}

export const CALL_SID = sidPattern('CA');
export const MESSAGE_SID = sidPattern(['SM', 'MM']);
export const ACCOUNT_SID = sidPattern('AC');
