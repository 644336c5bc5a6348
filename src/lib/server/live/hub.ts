/**
 * The local live path's switchboard (LIVE=local): each browser holds one event stream (a
 * connection) and adds or drops query subscriptions on it; the hub runs them on the hot state
 * as the signed-in user and writes every changed result to the stream. Browsers may only reach
 * public functions built with a staff guard; server-only and internal functions are refused by
 * name here, and each function checks the caller's role again itself.
 */
import { errorMessage } from '../../errors';
import { randomUUID } from 'node:crypto';
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import { makeFunctionReference } from 'convex/server';
import type { Role } from '$lib/roles';
import { AppError, HTTP_STATUS_BY_KIND } from '../errors';
import { logger } from '../log';
import type { FunctionInfo, HotState, Identity } from './hot';

export interface LiveUser {
	id: string;
	name: string;
	role: Role;
}

/** What travels down a browser's event stream, one JSON object per SSE message. */
export type LiveEvent =
	| { type: 'hello'; connectionId: string }
	| { type: 'result'; subId: string; value: JSONValue }
	| { type: 'error'; subId: string; code: string; message: string };

export interface LiveFailure {
	status: number;
	code: string;
	message: string;
}

export type LiveCallResult = { ok: true; value: JSONValue } | ({ ok: false } & LiveFailure);

export interface LiveSubscriptionRequest {
	subId: string;
	name: string;
	args: JSONValue;
}

interface Connection {
	id: string;
	userId: string;
	send(event: LiveEvent): void;
	subscriptions: Map<string, () => void>;
}

const STAFF_GUARDS = new Set<FunctionInfo['guard']>(['agent', 'manager', 'supervisor', 'admin']);
const log = logger('live');

/** A thrown hot-state error as the browser should see it; internal failures are logged, not shown. */
export function describeFailure(error: unknown): LiveFailure {
	if (error instanceof AppError) {
		return {
			status: HTTP_STATUS_BY_KIND[error.kind],
			code: error.kind === 'UNAUTHORIZED' ? 'UNAUTHENTICATED' : error.code,
			message: error.message
		};
	}
	log.error('live: function failed', { error: errorMessage(error) });
	return { status: 500, code: 'INTERNAL', message: 'The live service failed to answer; try again.' };
}

export interface LiveHubOptions {
	/** Most subscriptions one browser connection may hold. */
	maxSubscriptions?: number;
}

export class LiveHub {
	readonly #connections = new Map<string, Connection>();
	readonly #maxSubscriptions: number;

	constructor(
		readonly hot: HotState,
		options: LiveHubOptions = {}
	) {
		this.#maxSubscriptions = options.maxSubscriptions ?? 200;
	}

	get connectionCount(): number {
		return this.#connections.size;
	}

	/** Register a browser's stream. `send` writes one event to it; the hello event goes out at once. */
	connect(user: LiveUser, send: (event: LiveEvent) => void): { id: string; close(): void } {
		const connection: Connection = { id: randomUUID(), userId: user.id, send, subscriptions: new Map() };
		this.#connections.set(connection.id, connection);
		send({ type: 'hello', connectionId: connection.id });
		return { id: connection.id, close: () => this.#disconnect(connection.id) };
	}

	#disconnect(connectionId: string) {
		const connection = this.#connections.get(connectionId);
		if (!connection) return;
		this.#connections.delete(connectionId);
		for (const stop of connection.subscriptions.values()) stop();
		connection.subscriptions.clear();
	}

	#connectionOf(connectionId: string, user: LiveUser): Connection | LiveFailure {
		const connection = this.#connections.get(connectionId);
		// Someone else's connection id is answered exactly like an unknown one.
		if (!connection || connection.userId !== user.id) {
			return {
				status: 404,
				code: 'UNKNOWN_CONNECTION',
				message: 'That live connection is closed; reconnect and subscribe again.'
			};
		}
		return connection;
	}

	/** Why a browser may not call `name` as a `kind`, or null when it may. */
	refusal(name: string, kind: 'query' | 'mutation'): LiveFailure | null {
		const info = this.hot.describe(name);
		if (!info || info.kind !== kind)
			return { status: 404, code: 'UNKNOWN_FUNCTION', message: `There is no ${kind} named ${name}.` };
		if (info.visibility !== 'public' || !STAFF_GUARDS.has(info.guard)) {
			return { status: 403, code: 'FORBIDDEN', message: `${name} is reserved for the Switchboard server.` };
		}
		return null;
	}

	/** Add subscriptions to a connection. A refused one gets an error event under its subId; the rest still run. */
	subscribe(connectionId: string, user: LiveUser, requests: LiveSubscriptionRequest[]): LiveFailure | null {
		const connection = this.#connectionOf(connectionId, user);
		if (!('subscriptions' in connection)) return connection;
		const fresh = requests.filter((r) => !connection.subscriptions.has(r.subId)).length;
		if (connection.subscriptions.size + fresh > this.#maxSubscriptions) {
			return {
				status: 429,
				code: 'TOO_MANY_SUBSCRIPTIONS',
				message: `One page may hold ${this.#maxSubscriptions} live queries.`
			};
		}
		const identity: Identity = { subject: user.id, role: user.role, name: user.name };
		for (const request of requests) {
			connection.subscriptions.get(request.subId)?.();
			connection.subscriptions.delete(request.subId);
			const refused = this.refusal(request.name, 'query');
			if (refused) {
				connection.send({ type: 'error', subId: request.subId, code: refused.code, message: refused.message });
				continue;
			}
			const stop = this.hot.subscribe(
				makeFunctionReference<'query'>(request.name),
				jsonToConvex(request.args),
				identity,
				(value) => connection.send({ type: 'result', subId: request.subId, value: convexToJson(value as Value) }),
				(error) => {
					const failure = describeFailure(error);
					connection.send({ type: 'error', subId: request.subId, code: failure.code, message: failure.message });
				}
			);
			connection.subscriptions.set(request.subId, stop);
		}
		return null;
	}

	unsubscribe(connectionId: string, user: LiveUser, subIds: string[]): LiveFailure | null {
		const connection = this.#connectionOf(connectionId, user);
		if (!('subscriptions' in connection)) return connection;
		for (const subId of subIds) {
			connection.subscriptions.get(subId)?.();
			connection.subscriptions.delete(subId);
		}
		return null;
	}

	/** Run a public mutation as the user. */
	async mutation(user: LiveUser, name: string, args: JSONValue): Promise<LiveCallResult> {
		const refused = this.refusal(name, 'mutation');
		if (refused) return { ok: false, ...refused };
		try {
			const value: unknown = await this.hot.mutation(makeFunctionReference<'mutation'>(name), jsonToConvex(args), {
				subject: user.id,
				role: user.role,
				name: user.name
			});
			return { ok: true, value: convexToJson(value as Value) };
		} catch (error) {
			return { ok: false, ...describeFailure(error) };
		}
	}

	/** Drop every connection (their streams stay open until the server closes them). */
	closeAll(): void {
		for (const id of [...this.#connections.keys()]) this.#disconnect(id);
	}
}

const hubs = new WeakMap<HotState, LiveHub>();

/** The one hub serving a hot state. */
export function getLiveHub(hot: HotState): LiveHub {
	let hub = hubs.get(hot);
	if (!hub) {
		hub = new LiveHub(hot);
		hubs.set(hot, hub);
	}
	return hub;
}
