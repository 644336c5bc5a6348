/**
 * The server's handle on hot state. Server code calls `hot.query/mutation(api.area.fn, args,
 * identity)` and never knows which engine answers:
 *   LIVE=local  - the real convex/ functions on convex-test's engine in a worker thread
 *                 (engine/worker.ts), with push subscriptions for the browser live path;
 *   LIVE=convex - a Convex deployment over ConvexHttpClient, authenticated by short-lived
 *                 RS256 tokens this server signs (jwt.ts). Browsers subscribe to Convex directly.
 * Refusals from a function (ConvexError from convex/lib/errors.ts) arrive as AppError with the
 * function's code; anything else is a plain Error (a bug or an outage).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getFunctionName, type FunctionArgs, type FunctionReference, type FunctionReturnType } from 'convex/server';
import { convexToJson, type Value } from 'convex/values';
import type { Config } from '../env';
import { logger } from '../log';
import { createConvexHotState, probeConvex } from './convex-hot-state';
import type { FromEngine, FunctionInfo, ToEngine } from './engine/protocol';
import type { Identity } from './identity';
import { tokenSignerFor } from './jwt';
import { errorFromWire } from './wire-error';

export { SYSTEM_IDENTITY, type Identity } from './identity';
export type { FunctionInfo } from './engine/protocol';
export { createConvexHotState, probeConvex } from './convex-hot-state';
export { errorFromWire } from './wire-error';

export type QueryRef = FunctionReference<'query'>;
export type MutationRef = FunctionReference<'mutation'>;

export interface HotState {
	readonly mode: 'local' | 'convex';
	query<Q extends QueryRef>(ref: Q, args: FunctionArgs<Q>, identity: Identity): Promise<FunctionReturnType<Q>>;
	mutation<M extends MutationRef>(ref: M, args: FunctionArgs<M>, identity: Identity): Promise<FunctionReturnType<M>>;
	/**
	 * Local mode only (throws with LIVE=convex, where browsers subscribe to Convex themselves).
	 * `onResult` gets the current result, then every changed result after a commit. Identical
	 * (function, args, identity) subscriptions share one run. Returns the unsubscribe function.
	 */
	subscribe<Q extends QueryRef>(
		ref: Q,
		args: FunctionArgs<Q>,
		identity: Identity,
		onResult: (value: FunctionReturnType<Q>) => void,
		onError: (error: Error) => void
	): () => void;
	/** What the local engine knows about a function ("agentStatus:setMine"); undefined if unknown or in convex mode. */
	describe(name: string): FunctionInfo | undefined;
	close(): Promise<void>;
}

const log = logger('live');


export async function createHotState(config: Config): Promise<HotState> {
	const live = config.live;
	if (live.adapter === 'convex') {
		const signer = tokenSignerFor(config);
		if (!signer) throw new Error('LIVE=convex needs CONVEX_AUTH_PRIVATE_KEY');
		const hot = createConvexHotState(live.url, signer);
		await probeConvex(hot, live.url);
		return hot;
	}
	return createLocalHotState();
}

// ---------------------------------------------------------------------------------------------
// LIVE=local

export interface LocalHotStateOptions {
	/** Project root holding convex/ and scripts/; defaults to the working directory. */
	root?: string;
	/** Milliseconds to wait for the engine to load. */
	startTimeoutMs?: number;
}

interface BuildEngineModule {
	ensureEngine(options: { root: string; quiet?: boolean }): Promise<string>;
}

/** The engine bundle's path, (re)built first when a build script is at hand and the bundle is stale. */
async function locateEngine(root: string): Promise<string> {
	const script = path.join(root, 'scripts/build-engine.mjs');
	try {
		const builder = (await import(/* @vite-ignore */ pathToFileURL(script).href)) as BuildEngineModule;
		return await builder.ensureEngine({ root });
	} catch (error) {
		// A production box may ship the prebuilt bundle without the build tooling.
		log.debug('engine: could not check the bundle, using it as built', { error: String(error) });
		return path.join(root, '.engine/engine-worker.mjs');
	}
}

interface Listener {
	onResult(value: unknown): void;
	onError(error: Error): void;
}

interface SharedSubscription {
	subId: number;
	key: string;
	listeners: Set<Listener>;
	last: { ok: true; value: unknown } | { ok: false; error: Error } | undefined;
}

function deliver(listener: Listener, last: NonNullable<SharedSubscription['last']>) {
	try {
		if (last.ok) listener.onResult(last.value);
		else listener.onError(last.error);
	} catch (error) {
		log.error('live: a subscriber threw', { error: String(error) });
	}
}

type PendingCalls = Map<number, { resolve(value: unknown): void; reject(error: Error): void }>;

/** A call's reply to its caller, a subscription's update to its listeners. */
function routeEngineMessage(pending: PendingCalls, bySubId: Map<number, SharedSubscription>) {
	return (message: Exclude<FromEngine, { type: 'ready' }>) => {
		if (message.type === 'reply') {
			const waiting = pending.get(message.id);
			if (!waiting) return;
			pending.delete(message.id);
			if (message.ok) waiting.resolve(message.value);
			else waiting.reject(errorFromWire(message.error));
			return;
		}
		const sub = bySubId.get(message.subId);
		if (!sub) return;
		sub.last = message.ok ? { ok: true, value: message.value } : { ok: false, error: errorFromWire(message.error) };
		for (const listener of [...sub.listeners]) deliver(listener, sub.last);
	};
}

/** Wait for the worker's `ready` (its function list), wiring its other messages to `onMessage` and its end to `stop`. */
function startEngine(
	worker: Worker,
	timeoutMs: number,
	onMessage: (message: Exclude<FromEngine, { type: 'ready' }>) => void,
	stop: (reason: Error) => void
): Promise<Map<string, FunctionInfo>> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`The local hot-state engine did not start within ${timeoutMs} ms`));
			void worker.terminate();
		}, timeoutMs);
		worker.on('message', (message: FromEngine) => {
			if (message.type !== 'ready') return onMessage(message);
			clearTimeout(timer);
			resolve(new Map(message.functions.map((f) => [f.name, f])));
		});
		worker.once('error', (error) => {
			log.error('live: the local engine crashed', { error: String(error) });
			clearTimeout(timer);
			reject(error);
			stop(new Error(`The local hot-state engine stopped: ${error.message}`));
		});
		worker.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`The local hot-state engine exited (code ${code}) before it was ready`));
			stop(new Error('The local hot-state engine has stopped.'));
		});
	});
}

export async function createLocalHotState(options: LocalHotStateOptions = {}): Promise<HotState> {
	const root = options.root ?? process.cwd();
	const file = await locateEngine(root);
	// The worker inherits no flags (loaders, --inspect) except the CPU profiler's, so
	// `node --cpu-prof --cpu-prof-dir=DIR` profiles the engine beside the server.
	const execArgv = process.execArgv.filter((a) => a === '--cpu-prof' || /^--cpu-prof-[a-z]+=/.test(a));
	const worker = new Worker(file, { name: 'switchboard-engine', execArgv });
	const pending: PendingCalls = new Map();
	const byKey = new Map<string, SharedSubscription>();
	const bySubId = new Map<number, SharedSubscription>();
	let nextId = 1;
	let stopped: Error | undefined;

	const send = (message: ToEngine) => worker.postMessage(message);

	const stop = (reason: Error) => {
		stopped ??= reason;
		for (const call of pending.values()) call.reject(reason);
		pending.clear();
		for (const sub of bySubId.values()) for (const listener of sub.listeners) deliver(listener, { ok: false, error: reason });
	};

	const functions = await startEngine(worker, options.startTimeoutMs ?? 20_000, routeEngineMessage(pending, bySubId), stop);

	function call(kind: 'query' | 'mutation', ref: FunctionReference<'query' | 'mutation'>, args: unknown, identity: Identity) {
		if (stopped) return Promise.reject(stopped);
		const id = nextId++;
		return new Promise<unknown>((resolve, reject) => {
			pending.set(id, { resolve, reject });
			send({ type: 'call', id, kind, name: getFunctionName(ref), args: (args ?? {}) as Record<string, unknown>, identity });
		});
	}

	return {
		mode: 'local',
		query: (ref, args, identity) => call('query', ref, args, identity),
		mutation: (ref, args, identity) => call('mutation', ref, args, identity),
		subscribe(ref, args, identity, onResult, onError) {
			const name = getFunctionName(ref);
			const plainArgs = (args ?? {}) as Record<string, unknown>;
			const key = JSON.stringify([
				name,
				convexToJson(plainArgs as Value),
				identity.subject,
				identity.role,
				identity.name ?? null
			]);
			const listener: Listener = { onResult: onResult, onError };
			let sub = byKey.get(key);
			if (sub) {
				sub.listeners.add(listener);
				const last = sub.last;
				if (last) queueMicrotask(() => sub?.listeners.has(listener) && deliver(listener, last));
			} else {
				sub = { subId: nextId++, key, listeners: new Set([listener]), last: undefined };
				byKey.set(key, sub);
				bySubId.set(sub.subId, sub);
				if (stopped) queueMicrotask(() => stopped && deliver(listener, { ok: false, error: stopped }));
				else send({ type: 'subscribe', subId: sub.subId, name, args: plainArgs, identity });
			}
			const shared = sub;
			return () => {
				if (!shared.listeners.delete(listener) || shared.listeners.size > 0) return;
				byKey.delete(shared.key);
				bySubId.delete(shared.subId);
				if (!stopped) send({ type: 'unsubscribe', subId: shared.subId });
			};
		},
		describe: (name) => functions.get(name),
		async close() {
			stop(new Error('The hot-state engine was closed.'));
			byKey.clear();
			bySubId.clear();
			await worker.terminate();
		}
	};
}
