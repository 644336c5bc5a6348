/**
 * Indexes for convex-test's in-memory database, the engine's one serialization point.
 *
 * convex-test answers every query, even `withIndex(... q.eq('callSid', sid))`, by walking every
 * document of every table, filtering, then sorting what matched. The engine runs calls one at a
 * time, so that walk is paid by each call in turn and grows with all hot state: under a burst of
 * new calls (each leaving a waiting caller behind) the incoming-call webhook queued behind an
 * O(all documents) scan per query, several per routeInbound (issue 17 item 5).
 *
 * This keeps, per database, the committed ids of each table, and on demand an exact-match index
 * per (table, field) for string values. A scan then visits only its table's ids, and an index
 * range whose condition includes `eq(field, "a string")` only that value's ids; pending writes of
 * the open transaction are always visited too. convex-test still applies every range filter,
 * sorts and limits as before, so the candidates only need to include every match: the results,
 * their order and the read tracking are unchanged.
 *
 * With convex-test's own range helpers at hand (the engine bundle), a range over a schema index
 * goes further: it is answered from an ordered copy of that index (ordered-index.ts), a binary
 * search plus the rows it returns, already in order and cut at the query's limit when nothing
 * filters after it.
 *
 * convex-test does not export its DatabaseFake class; scripts/build-engine.mjs re-exports it from
 * the bundled copy as `__DatabaseFake` (see there). Without it the engine runs unindexed.
 */
import { countRange, insertEntry, keyOf, queryRange, removeEntry, type Bound, type ConvexTestHelpers, type OrderedIndex } from './ordered-index';

type Doc = Record<string, unknown>;
type Writes = Record<string, Doc | null>;

interface RangeFilter {
	type: string;
	fieldPath: string;
	value: unknown;
}

interface QuerySource {
	type: string;
	indexName?: string;
	range?: RangeFilter[];
	order?: 'asc' | 'desc' | null;
}

interface Query {
	source: QuerySource;
	operators?: ({ filter: unknown } | { limit: number })[];
}

/** The parts of convex-test 0.0.x's DatabaseFake this relies on. */
export interface DatabaseFakeInstance {
	_documents: Record<string, Doc>;
	_schema?: { tables: Map<string, { indexes: { indexDescriptor: string; fields: string[] }[] }> } | null;
	_writes: Writes[];
	get(tableName: string, id: string): Doc | null;
	commit: (this: DatabaseFakeInstance, commitTs?: bigint | null) => void;
	_iterateDocs: (this: DatabaseFakeInstance, tableName: string, callback: (doc: Doc) => void) => void;
	_resolveQuerySource: (this: DatabaseFakeInstance, query: Query) => unknown;
}

interface DatabaseFakeClass {
	prototype: DatabaseFakeInstance;
}

interface Indexes {
	/** Committed ids per table, in the order convex-test's own walk would meet them. */
	tables: Map<string, Set<string>>;
	/** `table\0field` -> string value -> committed ids with that value. */
	exact: Map<string, Map<string, Set<string>>>;
	/** Set by _resolveQuerySource for the one walk it makes: the committed ids worth visiting. */
	hint: Set<string> | undefined;
	/** `table.index` -> its ordered copy, made on the first range query over it. */
	ordered: Map<string, OrderedIndex>;
}

const EMPTY: ReadonlySet<string> = new Set();
const states = new WeakMap<DatabaseFakeInstance, Indexes>();

/** As convex-test's tableNameFromId: the table is what follows the numeric counter. */
function tableOf(id: string): string | null {
	const match = /^[0-9]+/.exec(id);
	if (!match || match[0].length === id.length) return null;
	return id.slice(match[0].length);
}

function fieldValue(doc: Doc | null | undefined, fieldPath: string): unknown {
	let value: unknown = doc;
	for (const part of fieldPath.split('.')) {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
		value = (value as Doc)[part];
	}
	return value;
}

function addTo<K>(map: Map<K, Set<string>>, key: K, id: string) {
	let ids = map.get(key);
	if (!ids) map.set(key, (ids = new Set()));
	ids.add(id);
}

function indexesOf(db: DatabaseFakeInstance): Indexes {
	let state = states.get(db);
	if (!state) {
		state = { tables: new Map(), exact: new Map(), hint: undefined, ordered: new Map() };
		for (const id of Object.keys(db._documents)) {
			const table = tableOf(id);
			if (table) addTo(state.tables, table, id);
		}
		states.set(db, state);
	}
	return state;
}

function exactIndex(db: DatabaseFakeInstance, state: Indexes, table: string, fieldPath: string): Map<string, Set<string>> {
	const key = `${table}\0${fieldPath}`;
	let index = state.exact.get(key);
	if (!index) {
		index = new Map();
		for (const id of state.tables.get(table) ?? EMPTY) {
			const value = fieldValue(db._documents[id], fieldPath);
			if (typeof value === 'string') addTo(index, value, id);
		}
		state.exact.set(key, index);
	}
	return index;
}

/** Keep the indexes in step with one committed write (`before` -> `after`, null for absent). */
function applyCommitted(state: Indexes, id: string, before: Doc | undefined, after: Doc | undefined, helpers: ConvexTestHelpers | undefined) {
	const table = tableOf(id);
	if (!table) return;
	if (helpers) {
		for (const [name, index] of state.ordered) {
			if (!name.startsWith(`${table}.`)) continue;
			if (before) removeEntry(index, id, keyOf(index.fields, before, helpers));
			if (after) insertEntry(index, { id, key: keyOf(index.fields, after, helpers) });
		}
	}
	if (after) addTo(state.tables, table, id);
	else state.tables.get(table)?.delete(id);
	const prefix = `${table}\0`;
	for (const [key, index] of state.exact) {
		if (!key.startsWith(prefix)) continue;
		const fieldPath = key.slice(prefix.length);
		const was = fieldValue(before, fieldPath);
		const now = fieldValue(after, fieldPath);
		if (was === now) continue;
		if (typeof was === 'string') index.get(was)?.delete(id);
		if (typeof now === 'string') addTo(index, now, id);
	}
}

/** The string an index range's equality condition asks for, if it has one. */
function exactCondition(source: QuerySource): RangeFilter | undefined {
	if (source.type !== 'IndexRange' || !source.range) return undefined;
	return source.range.find((f) => f.type === 'Eq' && typeof f.value === 'string');
}

function orderedIndex(db: DatabaseFakeInstance, state: Indexes, name: string, fields: string[], helpers: ConvexTestHelpers): OrderedIndex {
	let index = state.ordered.get(name);
	if (!index) {
		const table = name.split('.')[0]!;
		const entries = [...(state.tables.get(table) ?? EMPTY)].map((id) => ({ id, key: keyOf(fields, db._documents[id]!, helpers) }));
		index = { fields, entries: [] };
		for (const entry of entries) insertEntry(index, entry);
		state.ordered.set(name, index);
	}
	return index;
}

/** The database the indexes last served and convex-test's helpers: what countIndexRange counts in (the engine has one database). */
let lastDb: DatabaseFakeInstance | undefined;
let installedHelpers: ConvexTestHelpers | undefined;
const remember = (db: DatabaseFakeInstance) => {
	lastDb = db;
};

/** An index range already as (field, comparison, value) over the index's fields; see convex/lib/indexCount.ts. */
export interface CountCondition {
	fieldPath: string;
	type: string;
	value: unknown;
}

/**
 * How many documents of `table.index` fall in `range`, the open transaction's writes included,
 * counted on the index's ordered copy without reading the committed documents. Undefined when
 * that cannot be done here (no helpers, no database yet, not a schema index, a field not in it).
 */
export function countIndexRange(indexName: string, range: CountCondition[]): number | undefined {
	const db = lastDb;
	const helpers = installedHelpers;
	if (!db || !helpers) return undefined;
	const [table, name] = indexName.split('.');
	const declared = db._schema?.tables.get(table!)?.indexes.find((i) => i.indexDescriptor === name);
	if (!table || !declared) return undefined;
	const fields = [...declared.fields, '_creationTime', '_id'];
	const bounds: Bound[] = range.map((f) => ({ type: f.type, pos: fields.indexOf(f.fieldPath), value: f.value })).sort((a, b) => a.pos - b.pos);
	// As validateIndexRangeExpression: equalities on a prefix, then bounds on one field.
	const eqs = bounds.filter((b) => b.type === 'Eq');
	if (bounds.some((b) => b.pos < 0) || eqs.some((b, i) => b.pos !== i) || bounds.some((b) => b.type !== 'Eq' && b.pos !== eqs.length)) return undefined;
	const pending = new Set<string>();
	for (const level of db._writes) for (const id of Object.keys(level)) if (tableOf(id) === table) pending.add(id);
	return countRange({
		index: orderedIndex(db, indexesOf(db), indexName, fields, helpers),
		bounds,
		pending,
		read: (id) => db.get(table, id),
		committed: (id) => db._documents[id],
		helpers
	});
}

/** A range over a schema index, answered from its ordered copy; undefined when convex-test should answer. */
function resolveOrdered(db: DatabaseFakeInstance, query: Query, helpers: ConvexTestHelpers) {
	const source = query.source;
	if (source.type !== 'IndexRange' || !source.indexName || !source.range) return undefined;
	const [table, indexName] = source.indexName.split('.');
	const declared = db._schema?.tables.get(table!)?.indexes.find((i) => i.indexDescriptor === indexName);
	if (!table || !declared) return undefined;
	const fields = [...declared.fields, '_creationTime', '_id'];
	helpers.validateIndexRangeExpression(source, fields);
	const bounds: Bound[] = source.range
		.map((f) => ({ type: f.type, pos: fields.indexOf(f.fieldPath), value: helpers.evaluateQueryValue(f.value) }))
		.sort((a, b) => a.pos - b.pos);
	if (bounds.some((b) => b.pos < 0)) return undefined;
	const operators = query.operators ?? [];
	const filters = operators.flatMap((op) => ('filter' in op ? [op.filter] : []));
	const limit = operators.flatMap((op) => ('limit' in op ? [op.limit] : []))[0] ?? null;
	const order = source.order ?? 'asc';
	const state = indexesOf(db);
	const pending = new Set<string>();
	for (const level of db._writes) for (const id of Object.keys(level)) if (tableOf(id) === table) pending.add(id);
	const sortedDocs = queryRange({
		index: orderedIndex(db, state, source.indexName, fields, helpers),
		bounds,
		order,
		limit: filters.length === 0 ? limit : null,
		pending,
		read: (id) => db.get(table, id),
		committed: (id) => db._documents[id]!,
		helpers
	});
	const filterFn = (doc: Doc) => filters.every((f) => helpers.evaluateFilter(doc, f));
	return { sortedDocs, filterFn, limit, fieldPathsToSortBy: fields, order };
}

/**
 * Patch DatabaseFake's prototype once; every database made afterwards (and before) is indexed.
 * `helpers` (convex-test's own range and filter functions) turn on the ordered index ranges.
 */
export function indexDatabaseFake(DatabaseFake: DatabaseFakeClass, helpers?: ConvexTestHelpers): void {
	const proto = DatabaseFake.prototype;
	installedHelpers = helpers;
	const originalCommit = proto.commit;
	const originalResolve = proto._resolveQuerySource;

	proto.commit = function (this: DatabaseFakeInstance, commitTs?: bigint | null) {
		remember(this);
		const top = this._writes.length === 1 ? this._writes[0] : undefined;
		if (!top) return originalCommit.call(this, commitTs);
		const state = indexesOf(this);
		const before = Object.keys(top).map((id) => [id, this._documents[id]] as const);
		originalCommit.call(this, commitTs);
		for (const [id, was] of before) applyCommitted(state, id, was, this._documents[id], helpers);
	};

	proto._resolveQuerySource = function (this: DatabaseFakeInstance, query: Query) {
		remember(this);
		const ordered = helpers ? resolveOrdered(this, query, helpers) : undefined;
		if (ordered) return ordered;
		const condition = exactCondition(query.source);
		const table = query.source.indexName?.split('.')[0];
		if (!condition || !table) return originalResolve.call(this, query);
		const state = indexesOf(this);
		state.hint = exactIndex(this, state, table, condition.fieldPath).get(condition.value as string) ?? new Set();
		try {
			return originalResolve.call(this, query);
		} finally {
			state.hint = undefined;
		}
	};

	proto._iterateDocs = function (this: DatabaseFakeInstance, tableName: string, callback: (doc: Doc) => void) {
		const state = indexesOf(this);
		const committed = state.hint ?? state.tables.get(tableName) ?? EMPTY;
		state.hint = undefined;
		const ids = new Set(committed);
		for (const level of this._writes) for (const id of Object.keys(level)) if (tableOf(id) === tableName) ids.add(id);
		for (const id of ids) {
			const doc = this.get(tableName, id);
			if (doc !== null) callback(doc);
		}
	};
}
