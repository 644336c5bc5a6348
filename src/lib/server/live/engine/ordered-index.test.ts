/**
 * The ordered index must answer every index range exactly as convex-test's walk, filter and sort
 * would: same documents, same order, pending writes of the open transaction included, and kept
 * in step across commits (inserts, patches that move a row within the order, deletes), and count
 * a range (countIndexRange) as that walk finds it. Checked on random documents and ranges against
 * that walk written out plainly.
 */
import { compareValues, type Value } from 'convex/values';
import { describe, expect, it } from 'vitest';
import { countIndexRange, indexDatabaseFake, type DatabaseFakeInstance } from './indexed-tables';
import { compareIndexValues, compareKeys, type ConvexTestHelpers } from './ordered-index';

type Doc = Record<string, unknown>;
type Range = { type: string; fieldPath: string; value: unknown }[];

const helpers: ConvexTestHelpers = {
	evaluateFieldPath: (fieldPath, doc) => fieldPath.split('.').reduce<unknown>((v, part) => (v && typeof v === 'object' ? (v as Doc)[part] : undefined), doc),
	evaluateQueryValue: (value) => value,
	evaluateFilter: (doc, filter) => {
		const { field, equals } = filter as { field: string; equals: unknown };
		return doc[field] === equals;
	},
	validateIndexRangeExpression: () => {}
};

const FIELDS = ['queueName', 'state', 'priority', 'enqueuedAt'];
const SCHEMA = { tables: new Map([['queue', { indexes: [{ indexDescriptor: 'by_line', fields: FIELDS }] }]]) };

/** A stand-in for convex-test's DatabaseFake: committed documents, pending write levels, and its plain walk. */
class Db implements DatabaseFakeInstance {
	_documents: Record<string, Doc> = {};
	_writes: Record<string, Doc | null>[] = [];
	_schema = SCHEMA;
	get(_table: string, id: string): Doc | null {
		for (let i = this._writes.length - 1; i >= 0; i--) {
			const write = this._writes[i]![id];
			if (write !== undefined) return write;
		}
		return this._documents[id] ?? null;
	}
	commit() {
		const last = this._writes.pop() ?? {};
		for (const [id, write] of Object.entries(last)) {
			if (this._writes.length > 0) this._writes[this._writes.length - 1]![id] = write;
			else if (write === null) delete this._documents[id];
			else this._documents[id] = write;
		}
	}
	_iterateDocs(table: string, callback: (doc: Doc) => void) {
		const ids = new Set(Object.keys(this._documents).filter((id) => id.endsWith(table)));
		for (const level of this._writes) for (const id of Object.keys(level)) if (id.endsWith(table)) ids.add(id);
		for (const id of ids) {
			const doc = this.get(table, id);
			if (doc !== null) callback(doc);
		}
	}
	/** convex-test's way: walk, keep what is in range, sort by the index key, then _creationTime and _id. */
	_resolveQuerySource(query: { source: { range?: Range; order?: 'asc' | 'desc' | null }; operators?: unknown[] }): unknown {
		const keys = [...FIELDS, '_creationTime', '_id'];
		const out: Doc[] = [];
		this._iterateDocs('queue', (doc) => {
			const ok = (query.source.range ?? []).every((f) => {
				const c = compareValues(doc[f.fieldPath] as Value, f.value as Value);
				return f.type === 'Eq' ? c === 0 : f.type === 'Gt' ? c > 0 : f.type === 'Gte' ? c >= 0 : f.type === 'Lt' ? c < 0 : c <= 0;
			});
			if (ok) out.push(doc);
		});
		const sign = query.source.order === 'desc' ? -1 : 1;
		out.sort((a, b) => sign * compareKeys(keys.map((k) => a[k]), keys.map((k) => b[k])));
		return { sortedDocs: out };
	}
}

class Indexed extends Db {}
indexDatabaseFake(Indexed, helpers);

/** A small random generator, seeded, so a failure repeats. */
function rng(seed: number) {
	let s = seed;
	return () => {
		s = (s * 1103515245 + 12345) % 2 ** 31;
		return s / 2 ** 31;
	};
}

function randomRange(r: () => number): Range {
	const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
	const values: Record<string, () => unknown> = {
		queueName: () => pick(['sales', 'support', 'billing']),
		state: () => pick(['waiting', 'bridging']),
		priority: () => pick([0, 1, 2]),
		enqueuedAt: () => Math.floor(r() * 40)
	};
	const eqs = Math.floor(r() * (FIELDS.length + 1));
	const range: Range = FIELDS.slice(0, eqs).map((f) => ({ type: 'Eq', fieldPath: f, value: values[f]!() }));
	const next = FIELDS[eqs];
	if (next && r() < 0.7) {
		if (r() < 0.6) range.push({ type: pick(['Gt', 'Gte']), fieldPath: next, value: values[next]!() });
		if (r() < 0.6) range.push({ type: pick(['Lt', 'Lte']), fieldPath: next, value: values[next]!() });
	}
	return range;
}

describe('ordered index ranges', () => {
	it('match the plain walk, filter and sort for random ranges, orders and limits, with commits and pending writes', () => {
		const r = rng(17);
		const plain = new Db();
		const indexed = new Indexed();
		let next = 1;
		const randomDoc = (id: string, creationTime: number): Doc => ({
			_id: id,
			_creationTime: creationTime,
			queueName: ['sales', 'support', 'billing'][Math.floor(r() * 3)],
			state: r() < 0.8 ? 'waiting' : 'bridging',
			priority: Math.floor(r() * 3),
			// Ties on purpose: order then falls to _creationTime and _id.
			...(r() < 0.9 ? { enqueuedAt: Math.floor(r() * 40) } : {})
		});
		const write = (fn: (level: Record<string, Doc | null>, live: string[]) => void) => {
			const live = Object.keys(plain._documents);
			const level: Record<string, Doc | null> = {};
			fn(level, live);
			for (const db of [plain, indexed]) db._writes.push({ ...level });
		};
		let checked = 0;
		for (let round = 0; round < 300; round++) {
			write((level, live) => {
				for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
					const roll = r();
					if (roll < 0.6 || live.length === 0) {
						const id = `${String(next).padStart(6, '0')}queue`;
						level[id] = randomDoc(id, next++);
					} else if (roll < 0.85) {
						const id = live[Math.floor(r() * live.length)]!;
						level[id] = { ...randomDoc(id, plain._documents[id]!._creationTime as number) };
					} else level[live[Math.floor(r() * live.length)]!] = null;
				}
			});
			// Queries see the open transaction's writes; then it commits (or, now and then, stays open one more round).
			for (let q = 0; q < 5; q++) {
				const range = randomRange(r);
				const order = r() < 0.5 ? 'asc' : 'desc';
				const limit = r() < 0.5 ? 1 + Math.floor(r() * 5) : undefined;
				const query = { source: { type: 'IndexRange', indexName: 'queue.by_line', range, order }, operators: limit ? [{ limit }] : [] };
				const expected = ((plain._resolveQuerySource(query as never) as { sortedDocs: Doc[] }).sortedDocs).slice(0, limit);
				const got = (indexed._resolveQuerySource(query as never) as { sortedDocs: Doc[] }).sortedDocs.slice(0, limit);
				expect(got.map((d) => d._id), JSON.stringify({ range, order, limit })).toEqual(expected.map((d) => d._id));
				checked += expected.length;
				// Counted without reading the documents: the whole range, also cut on _creationTime after every field's equality.
				const all = (plain._resolveQuerySource({ source: { range } }) as { sortedDocs: Doc[] }).sortedDocs;
				expect(countIndexRange('queue.by_line', range), JSON.stringify(range)).toBe(all.length);
				const full = all[0];
				if (full) {
					const byCreation: Range = [...FIELDS.map((f) => ({ type: 'Eq', fieldPath: f, value: full[f] })), { type: 'Lt', fieldPath: '_creationTime', value: 1 + Math.floor(r() * next) }];
					const fewer = (plain._resolveQuerySource({ source: { range: byCreation } }) as { sortedDocs: Doc[] }).sortedDocs;
					expect(countIndexRange('queue.by_line', byCreation), JSON.stringify(byCreation)).toBe(fewer.length);
				}
			}
			for (const db of [plain, indexed]) db.commit();
		}
		expect(checked).toBeGreaterThan(500);
	});

	it('cuts at the limit only when no filter follows, and applies the filter through convex-test', () => {
		const db = new Indexed();
		db._writes.push({});
		for (let i = 1; i <= 6; i++) db._writes[0]![`${i}queue`] = { _id: `${i}queue`, _creationTime: i, queueName: 'sales', state: 'waiting', priority: 0, enqueuedAt: i, vip: i % 2 === 0 };
		db.commit();
		const range = [{ type: 'Eq', fieldPath: 'queueName', value: 'sales' }];
		const limited = db._resolveQuerySource({ source: { type: 'IndexRange', indexName: 'queue.by_line', range }, operators: [{ limit: 2 }] } as never) as { sortedDocs: Doc[] };
		expect(limited.sortedDocs.map((d) => d._id)).toEqual(['1queue', '2queue']);
		const filter = { field: 'vip', equals: true };
		const filtered = db._resolveQuerySource({ source: { type: 'IndexRange', indexName: 'queue.by_line', range }, operators: [{ filter }, { limit: 2 }] } as never) as {
			sortedDocs: Doc[];
			filterFn: (d: Doc) => boolean;
		};
		expect(filtered.sortedDocs.filter(filtered.filterFn).slice(0, 2).map((d) => d._id)).toEqual(['2queue', '4queue']);
	});
});

const describeValue = (v: Value | undefined) => (v instanceof ArrayBuffer ? `bytes(${v.byteLength})` : typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? 'undefined'));

describe('compareIndexValues', () => {
	it("orders every pair of values as Convex's compareValues does (same sign), across types and edge values", () => {
		const values: (Value | undefined)[] = [
			undefined,
			null,
			-0,
			0,
			1,
			-1,
			1.5,
			Number.NaN,
			-Number.NaN,
			Number.POSITIVE_INFINITY,
			Number.NEGATIVE_INFINITY,
			Number.MAX_SAFE_INTEGER,
			1n,
			-2n,
			false,
			true,
			'',
			'a',
			'b',
			'ab',
			'sales',
			'waiting',
			'\uFFFD',
			'\uE000',
			'😀',
			'a😀',
			'a\uFFFF',
			new ArrayBuffer(2),
			['sales', 1],
			['sales', 2],
			{ a: 1 },
			{ a: 2 }
		];
		for (const a of values) {
			for (const b of values) {
				expect(Math.sign(compareIndexValues(a, b)), `${describeValue(a)} vs ${describeValue(b)}`).toBe(Math.sign(compareValues(a, b)));
			}
		}
	});
});
