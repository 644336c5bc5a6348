/**
 * A stand-in Convex deployment for tests: an HTTP server answering ConvexHttpClient's
 * /api/query and /api/mutation (convex_encoded_json) with the local engine. It checks each
 * bearer token the way Convex's customJwt provider does: the key from the JWKS that
 * convex/auth.config.ts hands it (a data: URI read in place, an https: URL fetched), then
 * RS256, iss, aud and exp. It counts requests in flight, so a test can see calls overlap.
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
	load: { inFlight: number; peak: number; requests: number; jwksFetches: number };
	/** From now on hold each request until this many are in flight (or holdMs passes): shows whether callers send them together. */
	holdUntil(count: number | undefined): void;
	close(): Promise<void>;
}

async function keysFrom(jwks: string, load: StandIn['load']): Promise<PublicJwk[]> {
	const data = /^data:[^,]*;base64,(.+)$/.exec(jwks);
	if (data) return (JSON.parse(Buffer.from(data[1]!, 'base64').toString('utf8')) as { keys: PublicJwk[] }).keys;
	load.jwksFetches++;
	const response = await fetch(jwks, { signal: AbortSignal.timeout(2_000) });
	return ((await response.json()) as { keys: PublicJwk[] }).keys;
}

async function identityOf(authorization: string | undefined, options: StandInOptions, load: StandIn['load']): Promise<Identity> {
	const [h = '', b = '', s = ''] = (authorization?.replace(/^Bearer /, '') ?? '').split('.');
	const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid?: string; alg?: string };
	const jwk = (await keysFrom(options.jwks, load)).find((k) => k.kid === header.kid);
	if (!jwk || header.alg !== 'RS256') throw new Error('no key with this kid');
	const key = createPublicKey({ key: jwk as never, format: 'jwk' });
	if (!verify('sha256', Buffer.from(`${h}.${b}`), key, Buffer.from(s, 'base64url'))) throw new Error('bad signature');
	const claims = JSON.parse(Buffer.from(b, 'base64url').toString()) as Record<string, unknown>;
	if (claims.iss !== options.issuer || claims.aud !== 'convex' || (claims.exp as number) * 1000 < Date.now()) throw new Error('bad claims');
	return { subject: String(claims.sub), role: claims.role as Identity['role'], name: claims.name as string | undefined };
}

async function bodyOf(req: IncomingMessage): Promise<{ path: string; args: JSONValue[] }> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { path: string; args: JSONValue[] };
}

export async function startConvexStandIn(options: StandInOptions): Promise<StandIn> {
	const load = { inFlight: 0, peak: 0, requests: 0, jwksFetches: 0 };
	const waiting: (() => void)[] = [];
	let holdUntil: number | undefined;
	const hold = () =>
		new Promise<void>((resolve) => {
			if (!holdUntil || load.inFlight >= holdUntil) {
				for (const release of waiting.splice(0)) release();
				return resolve();
			}
			waiting.push(resolve);
			setTimeout(resolve, options.holdMs ?? 3_000).unref();
		});

	const server = createServer((req, res) => {
		const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		void (async () => {
			const kind = req.url === '/api/mutation' ? 'mutation' : req.url === '/api/query' ? 'query' : null;
			if (!kind) return send(404, { code: 'NotFound', message: `No route ${req.url}` });
			const body = await bodyOf(req);
			let identity: Identity;
			try {
				identity = await identityOf(req.headers.authorization, options, load);
			} catch (error) {
				return send(401, { code: 'Unauthenticated', message: `Could not verify token claim: ${String(error)}` });
			}
			load.requests++;
			load.inFlight++;
			load.peak = Math.max(load.peak, load.inFlight);
			try {
				await hold();
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
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		load,
		holdUntil: (count) => {
			holdUntil = count;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
