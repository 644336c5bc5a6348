/**
 * An ordered copy of one schema index over convex-test's committed documents, so an index range
 * query costs a binary search plus the rows it returns instead of a walk, filter and sort of
 * every candidate (convex-test's own way, and what the exact-value index still left: a queue
 * with a thousand waiting callers made each new caller's place in line sort a thousand rows,
 * three times per routeInbound; issue 17 item 5).
 *
 * Entries are kept sorted by the index key (the index's fields, then _creationTime and _id, as
 * convex-test sorts), compared as Convex's own compareValues does (compareIndexValues), the keys
 * read with convex-test's own evaluateFieldPath. An index range (equalities on a prefix, then at most a lower and an
 * upper bound on the next field, as validateIndexRangeExpression enforces) is one contiguous
 * block of that order. Pending writes of the open transaction are read and placed on top.
 */
import { compareValues, type Value } from 'convex/values';

type Doc = Record<string, unknown>;

/** convex-test's own helpers, re-exported from the engine bundle (scripts/build-engine.mjs). */
export interface ConvexTestHelpers {
	evaluateFieldPath(fieldPath: string, doc: Doc): unknown;
	evaluateQueryValue(value: unknown): unknown;
	evaluateFilter(doc: Doc, filter: unknown): unknown;
	validateIndexRangeExpression(source: unknown, fields: string[]): void;
}

export interface Entry {
	id: string;
	key: unknown[];
}

export interface OrderedIndex {
	fields: string[];
	entries: Entry[];
}

export interface Bound {
	type: string;
	/** Position of the bounded field in the index's fields. */
	pos: number;
	value: unknown;
}

/**
 * Convex's compareValues, answered at once for the two cases a binary search over an index meets
 * most: the same string (the equality fields, e.g. every waiting caller's queue name and line
 * state, which compareValues walks code point by code point) and two different numbers that are
 * not NaN. Everything else (equal numbers, where -0 and 0 differ; NaN; other types and mixed
 * types) goes to compareValues. Only the sign of the answer counts, as with compareValues.
 */
export function compareIndexValues(a: unknown, b: unknown): number {
	if (typeof a === 'string' && a === b) return 0;
	if (typeof a === 'number' && typeof b === 'number' && a !== b && !Number.isNaN(a) && !Number.isNaN(b)) return a < b ? -1 : 1;
	return compareValues(a as Value | undefined, b as Value | undefined);
}

export function compareKeys(a: unknown[], b: unknown[]): number {
	for (let i = 0; i < a.length; i++) {
		const c = compareIndexValues(a[i], b[i]);
		if (c !== 0) return c;
	}
	return 0;
}

/** First position in `entries` whose key does not satisfy `before` (which must hold for a prefix). */
function firstNot(entries: Entry[], before: (key: unknown[]) => boolean): number {
	let lo = 0;
	let hi = entries.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (before(entries[mid]!.key)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export function keyOf(fields: string[], doc: Doc, helpers: ConvexTestHelpers): unknown[] {
	return fields.map((field) => helpers.evaluateFieldPath(field, doc));
}

export function insertEntry(index: OrderedIndex, entry: Entry): void {
	index.entries.splice(firstNot(index.entries, (key) => compareKeys(key, entry.key) < 0), 0, entry);
}

export function removeEntry(index: OrderedIndex, id: string, key: unknown[]): void {
	const at = firstNot(index.entries, (k) => compareKeys(k, key) < 0);
	if (index.entries[at]?.id === id) {
		index.entries.splice(at, 1);
		return;
	}
	// The key it was filed under is not the one given (should not happen): find it by id.
	const anywhere = index.entries.findIndex((e) => e.id === id);
	if (anywhere >= 0) index.entries.splice(anywhere, 1);
}

/** Does `key` fall in the range? (Same comparisons as convex-test's evaluateRangeFilter.) */
export function inRange(key: unknown[], bounds: Bound[]): boolean {
	for (const b of bounds) {
		const c = compareIndexValues(key[b.pos], b.value);
		if (b.type === 'Eq' ? c !== 0 : b.type === 'Gt' ? c <= 0 : b.type === 'Gte' ? c < 0 : b.type === 'Lt' ? c >= 0 : c > 0) return false;
	}
	return true;
}

/** [start, end) of the committed entries in the range. */
export function rangeOf(index: OrderedIndex, bounds: Bound[]): [number, number] {
	// Before the range: smaller on an equality field, or not past the lower bound.
	const below = (key: unknown[]) => {
		for (const b of bounds) {
			const c = compareIndexValues(key[b.pos], b.value);
			if (b.type === 'Eq') {
				if (c !== 0) return c < 0;
			} else if (b.type === 'Gt') return c <= 0;
			else if (b.type === 'Gte') return c < 0;
		}
		return false;
	};
	// Not after the range: smaller or equal on equality fields, and within the upper bound.
	const notAbove = (key: unknown[]) => {
		for (const b of bounds) {
			const c = compareIndexValues(key[b.pos], b.value);
			if (b.type === 'Eq') {
				if (c !== 0) return c < 0;
			} else if (b.type === 'Lt') return c < 0;
			else if (b.type === 'Lte') return c <= 0;
		}
		return true;
	};
	const start = firstNot(index.entries, below);
	const end = firstNot(index.entries, notAbove);
	return [start, Math.max(start, end)];
}

export interface RangeQuery {
	index: OrderedIndex;
	bounds: Bound[];
	order: 'asc' | 'desc';
	/** Stop after this many (only when nothing filters the rows afterwards). */
	limit: number | null;
	/** Ids the open transaction wrote in this table: their committed entries are stale. */
	pending: Set<string>;
	/** The pending version of an id (null when deleted). */
	read(id: string): Doc | null;
	/** The committed document of an id. */
	committed(id: string): Doc;
	helpers: ConvexTestHelpers;
}

/** The documents in the range, in index order, pending writes included. */
export function queryRange(q: RangeQuery): Doc[] {
	const [start, end] = rangeOf(q.index, q.bounds);
	const sign = q.order === 'asc' ? 1 : -1;
	const fresh: Entry[] = [];
	const docs = new Map<string, Doc>();
	for (const id of q.pending) {
		const doc = q.read(id);
		if (!doc) continue;
		const key = keyOf(q.index.fields, doc, q.helpers);
		if (!inRange(key, q.bounds)) continue;
		fresh.push({ id, key });
		docs.set(id, doc);
	}
	fresh.sort((a, b) => sign * compareKeys(a.key, b.key));
	const out: Doc[] = [];
	const max = q.limit ?? Number.POSITIVE_INFINITY;
	let f = 0;
	let i = q.order === 'asc' ? start : end - 1;
	const more = () => (q.order === 'asc' ? i < end : i >= start);
	while (out.length < max) {
		while (more() && q.pending.has(q.index.entries[i]!.id)) i += sign;
		const next = more() ? q.index.entries[i]! : undefined;
		const pendingNext = fresh[f];
		if (!next && !pendingNext) break;
		if (pendingNext && (!next || sign * compareKeys(pendingNext.key, next.key) < 0)) {
			out.push(docs.get(pendingNext.id)!);
			f++;
		} else if (next) {
			out.push(q.committed(next.id));
			i += sign;
		}
	}
	return out;
}

export interface CountQuery {
	index: OrderedIndex;
	bounds: Bound[];
	/** Ids the open transaction wrote in this table: their committed entries are stale. */
	pending: Set<string>;
	/** The pending version of an id (null when deleted). */
	read(id: string): Doc | null;
	/** The committed document of an id, if it has one. */
	committed(id: string): Doc | undefined;
	helpers: ConvexTestHelpers;
}

/** How many documents are in the range, pending writes included, without reading the committed ones. */
export function countRange(q: CountQuery): number {
	const [start, end] = rangeOf(q.index, q.bounds);
	let n = end - start;
	for (const id of q.pending) {
		const was = q.committed(id);
		if (was && inRange(keyOf(q.index.fields, was, q.helpers), q.bounds)) n--;
		const now = q.read(id);
		if (now && inRange(keyOf(q.index.fields, now, q.helpers), q.bounds)) n++;
	}
	return n;
}
