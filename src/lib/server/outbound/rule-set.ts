/**
 * The rules the outbound gate applies, as data: the default calling window, the re-call gap,
 * which numbers may be dialled, and stricter rules per US state or Canadian province. A
 * deployment overrides any part with OUTBOUND_RULES (JSON, validated here); every attempt row
 * keeps the rule set it was judged by.
 */
import { z } from 'zod';

const HHMM = /^([01][0-9]|2[0-4]):[0-5][0-9]$/;
const time = z.string().regex(HHMM, 'a time is HH:MM on a 24-hour clock, e.g. 08:00 or 21:00');
const ZWindow = z
	.object({ start: time, end: time })
	.refine((w) => minutesOf(w.start) < minutesOf(w.end), 'a calling window must start before it ends, e.g. { "start": "08:00", "end": "21:00" }');
export type CallingWindow = z.infer<typeof ZWindow>;

const ZRegionRule = z.object({
	/** Why the region is stricter (the law), shown with a refusal. */
	law: z.string().max(200),
	window: ZWindow.optional(),
	/** Attempts (calls and texts together) per number in any 24 hours. */
	maxAttemptsPer24h: z.number().int().positive().optional()
});
export type RegionRule = z.infer<typeof ZRegionRule>;

export const ZRuleSet = z.object({
	/** Names the rule set in the audit trail; change it when the rules change. */
	name: z.string().min(1).max(80),
	window: ZWindow,
	/** Minutes after a dial before the same number may be dialled again. */
	recallGapMinutes: z
		.number()
		.int()
		.min(0)
		.max(7 * 24 * 60),
	/** Attempts per number in any 24 hours everywhere; null: only the regions' own limits. */
	maxAttemptsPer24h: z.number().int().positive().nullable(),
	/** Countries dialled as domestic (ISO codes); others need allowInternational. */
	homeCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
	allowInternational: z.boolean(),
	/** Keyed by two-letter US state or Canadian province code. */
	regions: z.record(z.string().regex(/^[A-Z]{2}$/), ZRegionRule)
});
export type RuleSet = z.infer<typeof ZRuleSet>;

/**
 * The default: 08:00-21:00 recipient time (the federal TCPA window), 10 minutes between dials of
 * one number, and the states whose telemarketing laws are stricter.
 */
export const DEFAULT_RULE_SET: RuleSet = {
	name: 'default-2026-12',
	window: { start: '08:00', end: '21:00' },
	recallGapMinutes: 10,
	maxAttemptsPer24h: null,
	homeCountries: ['US', 'CA'],
	allowInternational: false,
	regions: {
		FL: {
			law: 'Florida Telephone Solicitation Act',
			window: { start: '08:00', end: '20:00' },
			maxAttemptsPer24h: 3
		},
		OK: {
			law: 'Oklahoma Telephone Solicitation Act',
			window: { start: '08:00', end: '20:00' },
			maxAttemptsPer24h: 3
		},
		MD: {
			law: 'Maryland Stop the Spam Calls Act',
			window: { start: '08:00', end: '20:00' },
			maxAttemptsPer24h: 3
		},
		WA: {
			law: 'Washington RCW 80.36.390',
			window: { start: '08:00', end: '20:00' }
		}
	}
};

/** The default with a deployment's OUTBOUND_RULES laid over it (regions are merged by code). */
export function parseRuleSet(json: string | undefined): {
	rules: RuleSet;
	problems: string[];
} {
	if (json === undefined || json.trim() === '') return { rules: DEFAULT_RULE_SET, problems: [] };
	let raw: unknown;
	try {
		raw = JSON.parse(json);
	} catch {
		return {
			rules: DEFAULT_RULE_SET,
			problems: ['OUTBOUND_RULES must be JSON, e.g. {"window":{"start":"09:00","end":"20:00"}}']
		};
	}
	const partial = ZRuleSet.partial().safeParse(raw);
	if (!partial.success) {
		return {
			rules: DEFAULT_RULE_SET,
			problems: partial.error.issues.map((i) => `OUTBOUND_RULES.${i.path.join('.')}: ${i.message}`)
		};
	}
	const over = partial.data;
	const rules = {
		...DEFAULT_RULE_SET,
		name: 'deployment',
		...over,
		regions: { ...DEFAULT_RULE_SET.regions, ...over.regions }
	};
	return { rules, problems: [] };
}

export function minutesOf(hhmm: string): number {
	const [h = '0', m = '0'] = hhmm.split(':');
	return Number(h) * 60 + Number(m);
}

/** The window and the 24-hour limit in force for a region (the stricter of default and region). */
export function rulesFor(
	rules: RuleSet,
	region: string | null
): {
	window: CallingWindow;
	maxAttemptsPer24h: number | null;
	law: string | null;
} {
	const regional = region ? rules.regions[region] : undefined;
	const window = regional?.window
		? {
				start: minutesOf(regional.window.start) > minutesOf(rules.window.start) ? regional.window.start : rules.window.start,
				end: minutesOf(regional.window.end) < minutesOf(rules.window.end) ? regional.window.end : rules.window.end
			}
		: rules.window;
	const limits = [rules.maxAttemptsPer24h, regional?.maxAttemptsPer24h ?? null].filter((n): n is number => n !== null);
	return {
		window,
		maxAttemptsPer24h: limits.length ? Math.min(...limits) : null,
		law: regional?.law ?? null
	};
}
