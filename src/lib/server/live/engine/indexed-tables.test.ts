/**
 * The engine's indexes over convex-test's database must only narrow what a query walks, never
 * what it finds. convex-test's class is private (the engine bundle re-exports it), so this drives
 * the patch on a stand-in with the same storage, transaction and walk rules: committed documents
 * by id, a stack of pending write levels, and a query source walked through _iterateDocs.
 */
import { describe, expect, it } from 'vitest';
import { indexDatabaseFake, type DatabaseFakeInstance } from './indexed-tables';

type Doc = Record<string, unknown>;
interface Source {
	type: string;
	indexName?: string;
	range?: { type: string; fieldPath: string; value: unknown }[];
}

function makeClass() {
	class Db implements DatabaseFakeInstance {
		_documents: Record<string, Doc> = {};
		_writes: Record<string, Doc | null>[] = [];
		walked = 0;
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
		_resolveQuerySource(query: { source: Source }): unknown {
			const table = query.source.indexName?.split('.')[0] ?? '';
			const out: Doc[] = [];
			this._iterateDocs(table, (doc) => {
				this.walked++;
				if ((query.source.range ?? []).every((f) => doc[f.fieldPath] === f.value)) out.push(doc);
			});
			return out.map((d) => d._id).sort();
		}
	}
	return Db;
}

const byState = (state: string) => ({ source: { type: 'IndexRange', indexName: 'calls.by_state', range: [{ type: 'Eq', fieldPath: 'state', value: state }] } });

/** The same operations on a plain and an indexed database; every query must agree. */
function twins() {
	const Plain = makeClass();
	const Indexed = makeClass();
	indexDatabaseFake(Indexed);
	const dbs = [new Plain(), new Indexed()];
	return {
		indexed: dbs[1]!,
		tx(fn: (db: DatabaseFakeInstance) => void) {
			for (const db of dbs) {
				db._writes.push({});
				fn(db);
				db.commit();
			}
		},
		query(state: string) {
			const [a, b] = dbs.map((db) => db._resolveQuerySource(byState(state)));
			expect(b).toEqual(a);
			return b;
		}
	};
}

const put = (db: DatabaseFakeInstance, id: string, state: string | null) => {
	db._writes[db._writes.length - 1]![id] = state === null ? null : { _id: id, state };
};

describe('engine table indexes', () => {
	it('finds what a full walk finds through inserts, changes of the indexed field and deletes', () => {
		const t = twins();
		t.tx((db) => {
			put(db, '1calls', 'waiting');
			put(db, '2calls', 'waiting');
			put(db, '3agents', 'waiting');
		});
		expect(t.query('waiting')).toEqual(['1calls', '2calls']);
		t.tx((db) => put(db, '1calls', 'bridging'));
		expect(t.query('waiting')).toEqual(['2calls']);
		expect(t.query('bridging')).toEqual(['1calls']);
		t.tx((db) => put(db, '2calls', null));
		expect(t.query('waiting')).toEqual([]);
		expect(t.query('gone')).toEqual([]);
	});

	it('sees the open transaction, nested levels included, and forgets a rolled-back one', () => {
		const t = twins();
		t.tx((db) => put(db, '1calls', 'waiting'));
		t.tx((db) => {
			put(db, '1calls', 'bridging');
			put(db, '2calls', 'waiting');
			db._writes.push({});
			put(db, '3calls', 'waiting');
			expect(db._resolveQuerySource(byState('waiting'))).toEqual(['2calls', '3calls']);
			db.commit();
			expect(db._resolveQuerySource(byState('bridging'))).toEqual(['1calls']);
		});
		expect(t.query('waiting')).toEqual(['2calls', '3calls']);
		for (const db of [t.indexed]) {
			db._writes.push({});
			put(db, '2calls', 'bridging');
			db._writes.pop();
		}
		expect(t.query('waiting')).toEqual(['2calls', '3calls']);
	});

	it('walks only the documents holding the value asked for', () => {
		const t = twins();
		t.tx((db) => {
			for (let i = 0; i < 100; i++) put(db, `${i + 1}calls`, i === 7 ? 'waiting' : 'ended');
		});
		const db = t.indexed as DatabaseFakeInstance & { walked: number };
		db.walked = 0;
		expect(t.query('waiting')).toEqual(['8calls']);
		expect(db.walked).toBe(1);
	});
});
