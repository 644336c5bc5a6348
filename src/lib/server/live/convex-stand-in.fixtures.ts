/**
 * A stand-in Convex deployment for tests: an HTTP server answering ConvexHttpClient's
 * /api/query and /api/mutation (convex_encoded_json) with the local engine. It checks each
 * bearer token the way Convex's customJwt provider does: the key from the JWKS that
 * convex/auth.config.ts hands it (a data: URI read in place, an https: URL fetched), then
 * RS256, iss, aud and exp. A fetched JWKS is kept (Convex caches it too) until a token names a
 * kid it lacks. It counts requests in flight, overall and per function, so a test can see calls overlap.
 */
import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeFunctionReference } from 'convex/server';
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import { AppError } from '../errors';
import type { HotState, Identity } from './hot';
import type { PublicJwk } from './jwt';

export interface StandInOptions {
	engine: HotState;
	/** What auth.config.ts gives Convex as `jwks`. */
	jwks: string;
	issuer: string;
	/** The longest a held request waits (see StandIn.holdUntil). */
	holdMs?: number;
}

export interface StandIn {
	url: string;
	load: Load;
	/**
	 * From now on hold each request (only those to `path`, e.g. "callLine:routeInbound", when given)
	 * until this many are in flight (or the first has waited holdMs), then let every request through:
	 * shows whether callers send them together.
	 */
	holdUntil(count: number | undefined, path?: string): void;
	close(): Promise<void>;
}

export interface Load {
	inFlight: number;
	peak: number;
	requests: number;
	jwksFetches: number;
	/** Per function path ("callLine:routeInbound"): requests answered, and the most in flight at once. */
	byPath: Record<string, { requests: number; inFlight: number; peak: number }>;
}

type KeyCache = { keys?: Promise<PublicJwk[]> };

async function fetchKeys(jwks: string, load: Load): Promise<PublicJwk[]> {
	load.jwksFetches++;
	const response = await fetch(jwks, { signal: AbortSignal.timeout(2_000) });
	if (!response.ok) throw new Error(`JWKS ${jwks} answered ${response.status}`);
	return ((await response.json()) as { keys: PublicJwk[] }).keys;
}

async function keyFor(kid: string | undefined, jwks: string, load: Load, cache: KeyCache): Promise<PublicJwk | undefined> {
	const data = /^data:[^,]*;base64,(.+)$/.exec(jwks);
	if (data) return (JSON.parse(Buffer.from(data[1]!, 'base64').toString('utf8')) as { keys: PublicJwk[] }).keys.find((k) => k.kid === kid);
	const cached = cache.keys ? await cache.keys.catch(() => undefined) : undefined;
	const hit = cached?.find((k) => k.kid === kid);
	if (hit) return hit;
	cache.keys = fetchKeys(jwks, load);
	return (await cache.keys).find((k) => k.kid === kid);
}

async function identityOf(authorization: string | undefined, options: StandInOptions, load: Load, cache: KeyCache): Promise<Identity> {
	const [h = '', b = '', s = ''] = (authorization?.replace(/^Bearer /, '') ?? '').split('.');
	const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid?: string; alg?: string };
	const jwk = await keyFor(header.kid, options.jwks, load, cache);
	if (!jwk || header.alg !== 'RS256') throw new Error('no key with this kid');
	const key = createPublicKey({ key: jwk as never, format: 'jwk' });
	if (!verify('sha256', Buffer.from(`${h}.${b}`), key, Buffer.from(s, 'base64url'))) throw new Error('bad signature');
	const claims = JSON.parse(Buffer.from(b, 'base64url').toString()) as Record<string, unknown>;
	const audiences = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
	if (claims.iss !== options.issuer) throw new Error(`iss ${String(claims.iss)} is not ${options.issuer}`);
	if (!audiences.includes('convex')) throw new Error('aud does not name the applicationID convex');
	// A token without exp never expires; Convex refuses it, and so does the stand-in.
	if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) throw new Error('expired or no exp');
	return { subject: String(claims.sub), role: claims.role as Identity['role'], name: claims.name as string | undefined };
}

async function bodyOf(req: IncomingMessage): Promise<{ path: string; args: JSONValue[] }> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { path: string; args: JSONValue[] };
}

export async function startConvexStandIn(options: StandInOptions): Promise<StandIn> {
	const load: Load = { inFlight: 0, peak: 0, requests: 0, jwksFetches: 0, byPath: {} };
	const cache: KeyCache = {};
	const waiting: (() => void)[] = [];
	let holdUntil: number | undefined;
	let holdPath: string | undefined;
	let gate = 0;
	// The gate opens once, for good: a caller that sends one request at a time waits holdMs once
	// and then runs free, so a test sees its peak of 1 instead of timing out.
	const open = () => {
		holdUntil = undefined;
		for (const release of waiting.splice(0)) release();
	};
	const hold = (path: string) =>
		new Promise<void>((resolve) => {
			if (holdPath !== undefined && path !== holdPath) return resolve();
			const inFlight = holdPath === undefined ? load.inFlight : (load.byPath[path]?.inFlight ?? 0);
			if (!holdUntil || inFlight >= holdUntil) {
				open();
				return resolve();
			}
			waiting.push(resolve);
			const held = gate;
			setTimeout(() => {
				if (held === gate) open();
				resolve();
			}, options.holdMs ?? 3_000).unref();
		});

	const server = createServer((req, res) => {
		const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		void (async () => {
			const kind = req.url === '/api/mutation' ? 'mutation' : req.url === '/api/query' ? 'query' : null;
			if (!kind) return send(404, { code: 'NotFound', message: `No route ${req.url}` });
			const body = await bodyOf(req);
			let identity: Identity;
			try {
				identity = await identityOf(req.headers.authorization, options, load, cache);
			} catch (error) {
				return send(401, { code: 'Unauthenticated', message: `Could not verify token claim: ${String(error)}` });
			}
			const fn = (load.byPath[body.path] ??= { requests: 0, inFlight: 0, peak: 0 });
			load.requests++;
			load.inFlight++;
			load.peak = Math.max(load.peak, load.inFlight);
			fn.requests++;
			fn.inFlight++;
			fn.peak = Math.max(fn.peak, fn.inFlight);
			try {
				await hold(body.path);
				const ref = makeFunctionReference<typeof kind>(body.path);
				const args = jsonToConvex(body.args[0] ?? {}) as Record<string, Value>;
				const value =
					kind === 'query' ? await options.engine.query(ref as never, args as never, identity) : await options.engine.mutation(ref as never, args as never, identity);
				send(200, { status: 'success', value: convexToJson(value), logLines: [] });
			} catch (error) {
				if (!(error instanceof AppError)) return send(500, { code: 'Internal', message: String(error) });
				const errorData = { kind: error.kind === 'UNAUTHORIZED' ? 'UNAUTHENTICATED' : error.kind, code: error.code, message: error.message };
				send(560, { status: 'error', errorMessage: error.message, errorData, logLines: [] });
			} finally {
				load.inFlight--;
				fn.inFlight--;
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		load,
		holdUntil: (count, path) => {
			gate++;
			holdUntil = count;
			holdPath = path;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
