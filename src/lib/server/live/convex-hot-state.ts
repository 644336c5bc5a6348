/**
 * LIVE=convex: the hot state is a Convex deployment reached over ConvexHttpClient, authenticated
 * by short-lived RS256 tokens this server signs (jwt.ts). Browsers subscribe to Convex directly.
 *
 * ConvexHttpClient runs one client's mutations one after another by default; the server's
 * system identity makes every webhook's and job's mutations, so each call here skips that queue
 * (Convex orders and retries conflicting mutations itself) and each gives up after a timeout
 * instead of holding a request, or start-up, forever.
 */
import { ConvexHttpClient } from 'convex/browser';
import { getFunctionName, type FunctionReference } from 'convex/server';
import { api } from '$convex/_generated/api';
import { AppError } from '../errors';
import type { WireError } from './engine/protocol';
import type { HotState } from './hot';
import { SYSTEM_IDENTITY, type Identity } from './identity';
import type { TokenSigner } from './jwt';
import { errorFromWire } from './wire-error';

/**
 * Well inside Twilio's 15 s webhook limit: an incoming call whose routeInbound fails must still
 * get its queue TwiML (calls/handle-incoming-call.ts) before Twilio gives up and plays the
 * fallback's apology and hangup. A server mutation normally answers in well under a second.
 */
export const DEFAULT_CONVEX_TIMEOUT_MS = 5_000;

export interface ConvexHotStateOptions {
	fetch?: typeof fetch;
	/** Milliseconds each query or mutation may take before it fails. */
	timeoutMs?: number;
}

function isConvexError(error: unknown): error is Error & { data: unknown } {
	return typeof error === 'object' && error !== null && Symbol.for('ConvexError') in error;
}

function fromConvex(error: unknown, name: string, timeoutMs: number): Error {
	if (isConvexError(error)) {
		const data = error.data as Partial<WireError> | string;
		if (typeof data === 'object' && typeof data.code === 'string' && typeof data.message === 'string' && data.kind) {
			return errorFromWire({ kind: data.kind, code: data.code, message: data.message });
		}
		return new AppError('BAD_REQUEST', 'REFUSED', typeof data === 'string' ? data : error.message);
	}
	if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
		return new Error(`Convex did not answer ${name} within ${timeoutMs} ms`, { cause: error });
	}
	return error instanceof Error ? error : new Error(String(error));
}

export function createConvexHotState(url: string, signer: TokenSigner, options: ConvexHotStateOptions = {}): HotState {
	const timeoutMs = options.timeoutMs ?? DEFAULT_CONVEX_TIMEOUT_MS;
	const baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
	const timedFetch: typeof fetch = (input, init) => baseFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
	const clients = new Map<string, { client: ConvexHttpClient; refreshAt: number }>();

	/** A client per identity, since a ConvexHttpClient carries one token; the token is renewed a minute early. */
	function clientFor(identity: Identity): ConvexHttpClient {
		const key = JSON.stringify([identity.subject, identity.role, identity.name ?? null]);
		let entry = clients.get(key);
		const now = Date.now();
		if (!entry || now >= entry.refreshAt) {
			const { token, expiresAt } = signer.sign(identity, undefined, now);
			const client = entry?.client ?? new ConvexHttpClient(url, { logger: false, fetch: timedFetch });
			client.setAuth(token);
			if (clients.size > 2_000) clients.clear();
			entry = { client, refreshAt: (expiresAt - 60) * 1000 };
			clients.set(key, entry);
		}
		return entry.client;
	}

	async function run<T>(ref: FunctionReference<'query' | 'mutation'>, call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			throw fromConvex(error, getFunctionName(ref), timeoutMs);
		}
	}

	return {
		mode: 'convex',
		query: (ref, args, identity) => run(ref, () => clientFor(identity).query(ref, args)),
		mutation: (ref, args, identity) => run(ref, () => clientFor(identity).mutation(ref, args, { skipQueue: true })),
		subscribe() {
			throw new Error('hot.subscribe is for LIVE=local; with LIVE=convex browsers subscribe to Convex directly.');
		},
		describe: () => undefined,
		close() {
			clients.clear();
			return Promise.resolve();
		}
	};
}

/**
 * Start-up check: one system query, so a deployment that does not answer, has no functions or
 * refuses the server's token stops the start with what to fix rather than failing hydration.
 */
export async function probeConvex(hot: HotState, url: string): Promise<void> {
	try {
		await hot.query(api.health.ping, {}, SYSTEM_IDENTITY);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		let fix = `Check PUBLIC_CONVEX_URL: it must be the deployment's URL (https://<name>.convex.cloud, or your self-hosted backend's API URL) and reachable from this server.`;
		if (/could not find public function|not found/i.test(reason)) {
			fix = 'Deploy the Convex functions first: npx convex deploy.';
		} else if (/token|auth|jwt|jwks|UNAUTHENTICATED|FORBIDDEN/i.test(reason)) {
			fix =
				'Convex refused the server token: set CONVEX_AUTH_JWKS on the deployment (npx convex env set CONVEX_AUTH_JWKS "$(npm run --silent convex:jwks)") and PUBLIC_BASE_URL to this app\'s PUBLIC_BASE_URL, then deploy again.';
		}
		throw new Error(`LIVE=convex: ${url} did not accept the start-up check (${reason}). ${fix}`, { cause: error });
	}
}
