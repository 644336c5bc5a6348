/**
 * Reads a customer's text as a carrier opt-out/opt-in/help keyword, the way Twilio does on long
 * codes: the whole message must be one keyword, in any case; spaces and punctuation around it
 * are ignored ("stop!" counts, "please stop texting" does not).
 */

export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type KeywordKind = 'opt_out' | 'opt_in' | 'help';
export type KeywordMatch = { kind: KeywordKind; keyword: string } | null;

const KINDS = new Map<string, KeywordKind>([
	...OPT_OUT_KEYWORDS.map((k) => [k, 'opt_out'] as const),
	...OPT_IN_KEYWORDS.map((k) => [k, 'opt_in'] as const),
	...HELP_KEYWORDS.map((k) => [k, 'help'] as const)
]);

/** Whitespace (including no-break and zero-width), punctuation and symbols at either end. */
const EDGES = /^[\p{White_Space}\p{P}\p{S}\u200B-\u200D\uFEFF]+|[\p{White_Space}\p{P}\p{S}\u200B-\u200D\uFEFF]+$/gu;

/** The keyword `body` is, or null when it is an ordinary message. */
export function classifyKeyword(body: string): KeywordMatch {
	// Longer than any keyword plus generous punctuation: an ordinary message, skip the regex work.
	if (body.length > 64) return null;
	const word = body.replace(EDGES, '').toUpperCase();
	const kind = KINDS.get(word);
	return kind ? { kind, keyword: word } : null;
}

/** Advanced Opt-Out's `OptOutType` values, and what each means for the ledger. */
const OPT_OUT_TYPES = new Map<string, KeywordKind>([
	['STOP', 'opt_out'],
	['START', 'opt_in'],
	['HELP', 'help']
]);

/**
 * The keyword a text is, given Twilio's `OptOutType` when the number sits in a Messaging Service
 * with Advanced Opt-Out: then the service's own keyword lists (custom ones such as "ARRET"
 * included) decide, and the keyword recorded is the word as texted. Without it, the default
 * long-code keywords of `classifyKeyword`.
 */
export function classifyInbound(body: string, optOutType: string | null | undefined): KeywordMatch {
	const kind = optOutType ? OPT_OUT_TYPES.get(optOutType.trim().toUpperCase()) : undefined;
	if (!kind) return classifyKeyword(body);
	const word = body.replace(EDGES, '').toUpperCase();
	return { kind, keyword: word.length > 0 && word.length <= 32 ? word : optOutType!.trim().toUpperCase() };
}
