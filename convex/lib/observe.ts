/**
 * Change tracking for the local engine (LIVE=local). The engine worker installs an observer so
 * it learns which tables each function run reads and writes, and whether the handler looked at
 * who is calling. It then re-runs only the subscriptions a commit can have changed, and runs a
 * query once for all callers when its result cannot depend on the caller. In real Convex
 * nothing installs one and the context passes through untouched.
 */
import type { Auth, GenericDatabaseReader, GenericDataModel } from 'convex/server';
import { TABLE_NAMES } from '../schema';

export interface DbObserver {
	/** A function run began its handler (its arguments were valid and the guard passed). */
	enter(): void;
	/** `table` was read; '*' when the table could not be told (system tables). */
	read(table: string): void;
	/** `table` was written (insert, patch, replace, delete). */
	write(table: string): void;
	/** The handler read the caller (ctx.caller or ctx.auth), so its result may differ per caller. */
	identity(): void;
}

let observer: DbObserver | null = null;

/** Install (or remove, with null) the process's observer. Only the local engine calls this. */
export function setDbObserver(next: DbObserver | null): void {
	observer = next;
}

const READS = new Set(['get', 'query']);
const WRITES = new Set(['insert', 'patch', 'replace', 'delete']);

type Reader = GenericDatabaseReader<GenericDataModel>;

/** The table a call's first arguments point at: an explicit table name, or the one an id belongs to. */
function tableOf(db: Reader, method: string, args: unknown[]): string {
	const first = args[0];
	if (typeof first !== 'string') return '*';
	if (method === 'query' || method === 'insert') return first;
	// get/patch/replace/delete take (table, id, ...) or (id, ...): a second string means the first is a table.
	const explicit = method === 'get' || method === 'delete' ? args.length >= 2 : args.length >= 3;
	if (explicit) return first;
	for (const table of TABLE_NAMES) {
		if (db.normalizeId(table, first) !== null) return table;
	}
	return '*';
}

/**
 * The context a handler gets: `ctx` plus `extra` (e.g. the caller). With an observer installed,
 * `db` reports every table touched and reading `auth` or any of `extra` marks the run as
 * depending on the caller.
 */
export function observeCtx<Ctx extends { db: object; auth: Auth }, Extra extends object>(ctx: Ctx, extra: Extra): Ctx & Extra {
	const watcher = observer;
	if (!watcher) return { ...ctx, ...extra };
	watcher.enter();
	const auth: Auth = {
		getUserIdentity() {
			watcher.identity();
			return ctx.auth.getUserIdentity();
		}
	};
	const out = { ...ctx, db: observeDb(ctx.db, watcher), auth } as Ctx & Extra;
	for (const [key, value] of Object.entries(extra)) {
		Object.defineProperty(out, key, {
			enumerable: true,
			get() {
				watcher.identity();
				return value as unknown;
			}
		});
	}
	return out;
}

/** A proxy over `db` that reports each table read or written to `watcher`. */
function observeDb<Db extends object>(db: Db, watcher: DbObserver): Db {
	return new Proxy(db, {
		get(target, property, receiver) {
			const value: unknown = Reflect.get(target, property, receiver);
			if (typeof property !== 'string' || typeof value !== 'function') {
				if (property === 'system') watcher.read('*');
				return value;
			}
			const method = value as (...args: unknown[]) => unknown;
			if (READS.has(property)) {
				return (...args: unknown[]) => {
					watcher.read(tableOf(target as unknown as Reader, property, args));
					return method.apply(target, args);
				};
			}
			if (WRITES.has(property)) {
				return (...args: unknown[]) => {
					watcher.write(tableOf(target as unknown as Reader, property, args));
					return method.apply(target, args);
				};
			}
			return method.bind(target);
		}
	});
}
