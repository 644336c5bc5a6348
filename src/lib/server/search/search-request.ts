/**
 * What a search asks for and what it answers. The query text is free: whatever people type
 * (quotes, operators, emoji, 10,000 characters, SQL, markup) is searched through
 * websearch_to_tsquery, which never raises a syntax error; only its first QUERY_CHARS characters
 * count, and characters PostgreSQL text cannot hold (NUL) or our highlight markers are dropped.
 */
import { z } from 'zod';
import { CALL_DIRECTIONS } from '../db/schema/calls';
import { stripMarkers } from '$lib/search/highlight';

/** Characters of the query that are searched; the rest is ignored (and the answer says so). */
export const QUERY_CHARS = 256;
/** Longest query text accepted at all (a pasted page is cut to QUERY_CHARS, not refused). */
export const QUERY_INPUT_MAX = 20_000;
export const SEARCH_CHANNELS = ['call', 'voicemail', 'sms'] as const;
export type SearchChannel = (typeof SEARCH_CHANNELS)[number];
export const SEARCH_PAGE_MAX = 50;

export const ZSearchRequest = z
	.object({
		q: z.string().max(QUERY_INPUT_MAX, { error: `A search is at most ${QUERY_INPUT_MAX} characters.` }),
		agentId: z.string().min(1).max(100).optional(),
		queue: z.string().min(1).max(64).optional(),
		customerId: z.uuid({ error: 'customerId must be a customer id.' }).optional(),
		direction: z.enum(CALL_DIRECTIONS).optional(),
		channel: z.enum(SEARCH_CHANNELS).optional(),
		/** From this instant (inclusive). */
		from: z.iso.datetime({ offset: true, error: 'from must be an ISO date and time.' }).optional(),
		/** Up to this instant (exclusive). */
		to: z.iso.datetime({ offset: true, error: 'to must be an ISO date and time.' }).optional(),
		limit: z.int().min(1).max(SEARCH_PAGE_MAX).default(20)
	})
	.refine((r) => !r.from || !r.to || Date.parse(r.from) < Date.parse(r.to), {
		error: 'The date range ends before it starts; pick a "to" date after the "from" date.',
		path: ['to']
	});
export type TSearchRequest = z.input<typeof ZSearchRequest>;
export type SearchRequest = z.output<typeof ZSearchRequest>;

const ZPart = z.object({ text: z.string(), mark: z.boolean() });
export const ZSearchLine = z.object({
	/** Seconds into the recording where the line starts; null for a text message or a match across lines. */
	start: z.number().nullable(),
	speaker: z.enum(['agent', 'customer', 'unknown']).nullable(),
	parts: z.array(ZPart)
});
export const ZSearchHit = z.object({
	channel: z.enum(SEARCH_CHANNELS),
	/** The call's id (call, voicemail) or the message's (sms). */
	id: z.string(),
	/** The SMS thread to open; null for calls. */
	threadId: z.string().nullable(),
	at: z.iso.datetime(),
	direction: z.enum(CALL_DIRECTIONS),
	queue: z.string().nullable(),
	customer: z.object({ id: z.string(), name: z.string() }).nullable(),
	/** The customer's number on this call or thread (E.164), for click-to-dial; null when the call has none (a withheld number). */
	phone: z.string().nullable(),
	agent: z.object({ id: z.string(), name: z.string() }).nullable(),
	rank: z.number(),
	lines: z.array(ZSearchLine)
});
export const ZSearchResponse = z.object({
	items: z.array(ZSearchHit),
	/** The query was longer than QUERY_CHARS and was cut. */
	truncated: z.boolean(),
	/** Only the newest CANDIDATES matches of a source were ranked (see search-archive.ts). */
	capped: z.boolean()
});
export type SearchHit = z.output<typeof ZSearchHit>;
export type SearchLine = z.output<typeof ZSearchLine>;
export type SearchResponse = z.output<typeof ZSearchResponse>;

/** The text actually searched: NUL and marker characters dropped, cut to QUERY_CHARS code points. */
export function searchText(q: string): { text: string; truncated: boolean } {
	const clean = stripMarkers(q.replaceAll('\u0000', ' ')).trim();
	const points = [...clean];
	return { text: points.slice(0, QUERY_CHARS).join('').trim(), truncated: points.length > QUERY_CHARS };
}
