/**
 * The local engine (LIVE=local): convex-test running the real convex/ functions inside a worker
 * thread, so its ~26 patched globals never touch the server. Calls run one at a time (the
 * engine has no OCC), which makes every mutation serializable: the "one winner" rules hold.
 *
 * Change propagation: the function builders report each table a run reads or writes, and
 * whether the handler looked at the caller (see convex/lib/observe.ts). After a write commits
 * (from a call or a scheduled function), the engine re-runs the subscriptions whose last run
 * read a written table and posts a result only when it differs from the last one posted.
 * Subscriptions to the same query and arguments whose handler ignored the caller share one
 * run: fifty wallboards watching the roster cost one query, not fifty.
 *
 * Bundled with the convex/ modules by scripts/build-engine.mjs into .engine/engine-worker.mjs.
 */
import { errorMessage } from '../../../errors';
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { parentPort } from 'node:worker_threads';
import * as convexTestModule from 'convex-test';
import { makeFunctionReference, type FunctionReference } from 'convex/server';
import { convexToJson, type Value } from 'convex/values';
import { moduleExports, modules } from 'virtual:convex-modules';
import { isLiveErrorData } from '../../../../../convex/lib/errors';
import { setIndexCounter } from '../../../../../convex/lib/indexCount';
import { setDbObserver } from '../../../../../convex/lib/observe';
import schema from '../../../../../convex/schema';
import type { Identity } from '../identity';
import { countIndexRange, indexDatabaseFake, type DatabaseFakeInstance } from './indexed-tables';
import { listFunctions } from './manifest';
import type { ConvexTestHelpers } from './ordered-index';
import type { FromEngine, FunctionInfo, ToEngine, WireError } from './protocol';

interface RunTrack {
	reads: Set<string>;
	entered: boolean;
	usesIdentity: boolean;
}

type RunResult = { ok: true; value: unknown; reads: Set<string>; usesIdentity: boolean } | { ok: false; error: WireError };

interface Subscription {
	name: string;
	args: Record<string, unknown>;
	/** The query and its arguments, as a key for sharing runs. */
	runKey: string;
	identity: Identity | null;
	/** Tables the last run read; '*' means re-run after any write. */
	tables: Set<string>;
	/** The last run succeeded without reading the caller, so any identity it admits gets the same result. */
	callerFree: boolean;
	lastJson: string | undefined;
}

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

const runs = new AsyncLocalStorage<RunTrack>();
const dirty = new Set<string>();
const subscriptions = new Map<number, Subscription>();
let flushing = false;
let flushQueued = false;

/** Bound to the worker's root context, so a flush never inherits the writing function's transaction. */
const scheduleFlush = AsyncResource.bind(() => {
	if (flushQueued) return;
	flushQueued = true;
	setImmediate(() => {
		flushQueued = false;
		void flush();
	});
});

setDbObserver({
	enter() {
		const run = runs.getStore();
		if (run) run.entered = true;
	},
	read(table) {
		runs.getStore()?.reads.add(table);
	},
	identity() {
		const run = runs.getStore();
		if (run) run.usesIdentity = true;
	},
	write(table) {
		dirty.add(table);
		scheduleFlush();
	}
});

// Bundled by scripts/build-engine.mjs, which re-exports convex-test's database class for indexing.
const bundled = convexTestModule as { __DatabaseFake?: { prototype: DatabaseFakeInstance }; __rangeHelpers?: ConvexTestHelpers };
const databaseClass = bundled.__DatabaseFake;
if (databaseClass) {
	indexDatabaseFake(databaseClass, bundled.__rangeHelpers);
	// Counts read the table as a query would, for the subscriptions' change tracking.
	setIndexCounter((index, range) => {
		const count = countIndexRange(index, range);
		if (count !== undefined) runs.getStore()?.reads.add(index.split('.')[0]!);
		return count;
	});
}
else console.warn('engine: convex-test database class not found; queries scan every document');

// Convex's per-transaction limits (reads, writes, queries), so the twin refuses what Convex refuses.
const t = convexTestModule.convexTest({ schema, modules, transactionLimits: true });
const functions = new Map<string, FunctionInfo>(listFunctions(moduleExports).map((f) => [f.name, f]));

type Accessor = ReturnType<typeof t.withIdentity>;
const accessors = new Map<string, Accessor>();

function accessorFor(identity: Identity | null): Accessor | typeof t {
	if (!identity) return t;
	const key = JSON.stringify([identity.subject, identity.role, identity.name ?? null]);
	let accessor = accessors.get(key);
	if (!accessor) {
		if (accessors.size > 5_000) accessors.clear();
		accessor = t.withIdentity({
			subject: identity.subject,
			issuer: 'switchboard-local',
			tokenIdentifier: `switchboard-local|${identity.subject}`,
			role: identity.role,
			...(identity.name ? { name: identity.name } : {})
		});
		accessors.set(key, accessor);
	}
	return accessor;
}

function isConvexError(error: unknown): error is Error & { data: unknown } {
	return typeof error === 'object' && error !== null && Symbol.for('ConvexError') in error;
}

function toWireError(name: string, error: unknown, entered: boolean): WireError {
	if (isConvexError(error)) {
		if (isLiveErrorData(error.data)) return { kind: error.data.kind, code: error.data.code, message: error.data.message };
		const message = typeof error.data === 'string' ? error.data : error.message;
		return { kind: 'BAD_REQUEST', code: 'REFUSED', message };
	}
	const message = errorMessage(error);
	// Before the handler starts, only argument validation can fail: the caller sent bad input.
	if (!entered) return { kind: 'BAD_REQUEST', code: 'INVALID_ARGUMENTS', message: `Invalid arguments for ${name}: ${message}` };
	console.error('engine: function failed', error);
	return { kind: 'INTERNAL', code: 'INTERNAL', message };
}

async function run(
	kind: 'query' | 'mutation',
	name: string,
	args: Record<string, unknown>,
	identity: Identity | null
): Promise<RunResult> {
	const info = functions.get(name);
	if (!info || info.kind !== kind) {
		return { ok: false, error: { kind: 'NOT_FOUND', code: 'UNKNOWN_FUNCTION', message: `There is no ${kind} named ${name}.` } };
	}
	const track: RunTrack = { reads: new Set(), entered: false, usesIdentity: false };
	const accessor = accessorFor(identity);
	try {
		const value: unknown = await runs.run(track, () =>
			kind === 'query'
				? accessor.query(makeFunctionReference<'query'>(name) as FunctionReference<'query'>, args)
				: accessor.mutation(makeFunctionReference<'mutation'>(name) as FunctionReference<'mutation'>, args)
		);
		return { ok: true, value, reads: track.reads, usesIdentity: track.usesIdentity };
	} catch (error) {
		return { ok: false, error: toWireError(name, error, track.entered) };
	}
}

function post(message: FromEngine) {
	port?.postMessage(message);
}

/** Record a run's result on a subscription and post it if it changed since the last post. */
function apply(subId: number, sub: Subscription, result: RunResult) {
	if (subscriptions.get(subId) !== sub) return;
	sub.tables = result.ok ? result.reads : new Set(['*']);
	sub.callerFree = result.ok && !result.usesIdentity;
	const json = result.ok ? JSON.stringify(convexToJson(result.value as Value)) : `error:${JSON.stringify(result.error)}`;
	if (json === sub.lastJson) return;
	sub.lastJson = json;
	post(
		result.ok
			? { type: 'update', subId, ok: true, value: result.value }
			: { type: 'update', subId, ok: false, error: result.error }
	);
}

async function refresh(subId: number, sub: Subscription) {
	apply(subId, sub, await run('query', sub.name, sub.args, sub.identity));
}

function touches(sub: Subscription, tables: Set<string>): boolean {
	if (sub.tables.has('*') || tables.has('*')) return true;
	for (const table of tables) if (sub.tables.has(table)) return true;
	return false;
}

/**
 * Re-run what the written tables can have changed. Caller-free subscriptions to the same query
 * and arguments run once; if that run turns out to read the caller after all, each member
 * runs on its own. (A caller-free run was admitted by each member's guard before, and guards
 * depend only on the identity, which a subscription never changes.)
 */
async function flush() {
	if (flushing) return;
	flushing = true;
	try {
		while (dirty.size > 0) {
			const tables = new Set(dirty);
			dirty.clear();
			const groups = new Map<string, [number, Subscription][]>();
			const singles: [number, Subscription][] = [];
			for (const entry of subscriptions) {
				const sub = entry[1];
				if (!touches(sub, tables)) continue;
				if (!sub.callerFree) {
					singles.push(entry);
					continue;
				}
				const group = groups.get(sub.runKey);
				if (group) group.push(entry);
				else groups.set(sub.runKey, [entry]);
			}
			for (const members of groups.values()) {
				const [firstId, first] = members[0] as [number, Subscription];
				const result = await run('query', first.name, first.args, first.identity);
				apply(firstId, first, result);
				const rest = members.slice(1);
				if (result.ok && !result.usesIdentity) for (const [subId, sub] of rest) apply(subId, sub, result);
				else singles.push(...rest);
			}
			for (const [subId, sub] of singles) {
				if (subscriptions.get(subId) === sub) await refresh(subId, sub);
			}
		}
	} finally {
		flushing = false;
	}
}

port.on('message', (message: ToEngine) => {
	switch (message.type) {
		case 'call': {
			void run(message.kind, message.name, message.args, message.identity).then((result) =>
				post(
					result.ok
						? { type: 'reply', id: message.id, ok: true, value: result.value }
						: { type: 'reply', id: message.id, ok: false, error: result.error }
				)
			);
			return;
		}
		case 'subscribe': {
			const sub: Subscription = {
				name: message.name,
				args: message.args,
				runKey: JSON.stringify([message.name, convexToJson(message.args as Value)]),
				identity: message.identity,
				tables: new Set(['*']),
				callerFree: false,
				lastJson: undefined
			};
			subscriptions.set(message.subId, sub);
			void refresh(message.subId, sub);
			return;
		}
		case 'unsubscribe': {
			subscriptions.delete(message.subId);
			return;
		}
	}
});

post({ type: 'ready', functions: [...functions.values()] });
