/**
 * Counting an index range without reading its documents, where the runtime can: the local
 * engine (LIVE=local) installs a counter answered from its ordered copy of the index (a binary
 * search, plus the open transaction's own writes), and records the table as read. In real
 * Convex nothing installs one, countIndexRange answers undefined, and the caller reads the
 * documents as before. A new caller's place in a deep line took a hundred documents through
 * the engine's read path on every incoming call (issue 17 item 5).
 */
import type { Value } from 'convex/values';

export interface IndexCondition {
	fieldPath: string;
	/** As a withIndex range: equalities on a prefix of the index's fields (then _creationTime, _id), then bounds on the next. */
	type: 'Eq' | 'Gt' | 'Gte' | 'Lt' | 'Lte';
	value: Value;
}

/** `index` as `table.indexName`; undefined when the counter cannot answer (then read the documents). */
export type IndexCounter = (index: string, range: IndexCondition[]) => number | undefined;

let counter: IndexCounter | null = null;

/** Install (or remove, with null) the process's counter. Only the local engine calls this. */
export function setIndexCounter(next: IndexCounter | null): void {
	counter = next;
}

export function countIndexRange(index: string, range: IndexCondition[]): number | undefined {
	return counter ? counter(index, range) : undefined;
}
