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

/** The server's side of the engine worker: calls in flight and the subscriptions it shares. */
interface EngineLink {
	worker: Worker;
	pending: Map<number, { resolve(value: unknown): void; reject(error: Error): void }>;
	byKey: Map<string, SharedSubscription>;
	bySubId: Map<number, SharedSubscription>;
	functions: Map<string, FunctionInfo>;
	nextId: number;
	stopped: Error | undefined;
}

/** Fail every call in flight and tell every subscriber, once: the engine is gone. */
function stopLink(link: EngineLink, reason: Error): void {
	link.stopped ??= reason;
	for (const call of link.pending.values()) call.reject(reason);
	link.pending.clear();
	for (const sub of link.bySubId.values()) for (const listener of sub.listeners) deliver(listener, { ok: false, error: reason });
}

/** One message from the worker: it is ready, a call's reply, or a subscription's new result. */
function onEngineMessage(link: EngineLink, message: FromEngine, ready: () => void): void {
	switch (message.type) {
		case 'ready':
			link.functions = new Map(message.functions.map((f) => [f.name, f]));
			ready();
			return;
		case 'reply': {
			const call = link.pending.get(message.id);
			if (!call) return;
			link.pending.delete(message.id);
			if (message.ok) call.resolve(message.value);
			else call.reject(errorFromWire(message.error));
			return;
		}
		case 'update': {
			const sub = link.bySubId.get(message.subId);
			if (!sub) return;
			sub.last = message.ok ? { ok: true, value: message.value } : { ok: false, error: errorFromWire(message.error) };
			for (const listener of [...sub.listeners]) deliver(listener, sub.last);
			return;
		}
	}
}

/** Resolves when the worker reports ready; rejects when it crashes, exits or takes too long. */
function engineReady(link: EngineLink, timeoutMs: number): Promise<void> {
	const { worker } = link;
	return new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`The local hot-state engine did not start within ${timeoutMs} ms`));
			void worker.terminate();
		}, timeoutMs);
		worker.on('message', (message: FromEngine) =>
			onEngineMessage(link, message, () => {
				clearTimeout(timer);
				resolve();
			})
		);
		worker.once('error', (error) => {
			log.error('live: the local engine crashed', { error: String(error) });
			clearTimeout(timer);
			reject(error);
			stopLink(link, new Error(`The local hot-state engine stopped: ${error.message}`));
		});
		worker.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`The local hot-state engine exited (code ${code}) before it was ready`));
			stopLink(link, new Error('The local hot-state engine has stopped.'));
		});
	});
}

function callEngine(link: EngineLink, kind: 'query' | 'mutation', ref: FunctionReference<'query' | 'mutation'>, args: unknown, identity: Identity) {
	if (link.stopped) return Promise.reject(link.stopped);
	const id = link.nextId++;
	return new Promise<unknown>((resolve, reject) => {
		link.pending.set(id, { resolve, reject });
		link.worker.postMessage({ type: 'call', id, kind, name: getFunctionName(ref), args: (args ?? {}) as Record<string, unknown>, identity } satisfies ToEngine);
	});
}

/** Identical subscriptions (function, args, identity) share one engine subscription and its last result. */
function subscribeShared(link: EngineLink, ref: FunctionReference<'query'>, args: unknown, identity: Identity, listener: Listener): () => void {
	const name = getFunctionName(ref);
	const plainArgs = (args ?? {}) as Record<string, unknown>;
	const key = JSON.stringify([name, convexToJson(plainArgs as Value), identity.subject, identity.role, identity.name ?? null]);
	let sub = link.byKey.get(key);
	if (sub) {
		sub.listeners.add(listener);
		const last = sub.last;
		if (last) queueMicrotask(() => sub?.listeners.has(listener) && deliver(listener, last));
	} else {
		sub = { subId: link.nextId++, key, listeners: new Set([listener]), last: undefined };
		link.byKey.set(key, sub);
		link.bySubId.set(sub.subId, sub);
		if (link.stopped) queueMicrotask(() => link.stopped && deliver(listener, { ok: false, error: link.stopped }));
		else link.worker.postMessage({ type: 'subscribe', subId: sub.subId, name, args: plainArgs, identity } satisfies ToEngine);
	}
	const shared = sub;
	return () => {
		if (!shared.listeners.delete(listener) || shared.listeners.size > 0) return;
		link.byKey.delete(shared.key);
		link.bySubId.delete(shared.subId);
		if (!link.stopped) link.worker.postMessage({ type: 'unsubscribe', subId: shared.subId } satisfies ToEngine);
	};
}

export async function createLocalHotState(options: LocalHotStateOptions = {}): Promise<HotState> {
	const file = await locateEngine(options.root ?? process.cwd());
	// The worker inherits no flags (loaders, --inspect) except the CPU profiler's, so
	// `node --cpu-prof --cpu-prof-dir=DIR` profiles the engine beside the server.
	const execArgv = process.execArgv.filter((a) => a === '--cpu-prof' || /^--cpu-prof-[a-z]+=/.test(a));
	const link: EngineLink = {
		worker: new Worker(file, { name: 'switchboard-engine', execArgv }),
		pending: new Map(),
		byKey: new Map(),
		bySubId: new Map(),
		functions: new Map(),
		nextId: 1,
		stopped: undefined
	};
	await engineReady(link, options.startTimeoutMs ?? 20_000);

	return {
		mode: 'local',
		query: (ref, args, identity) => callEngine(link, 'query', ref, args, identity),
		mutation: (ref, args, identity) => callEngine(link, 'mutation', ref, args, identity),
		subscribe: (ref, args, identity, onResult, onError) => subscribeShared(link, ref, args, identity, { onResult, onError }),
		describe: (name) => link.functions.get(name),
		async close() {
			stopLink(link, new Error('The hot-state engine was closed.'));
			link.byKey.clear();
			link.bySubId.clear();
			await link.worker.terminate();
		}
	};
}
