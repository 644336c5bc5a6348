/**
 * Walks the authorization policy (policy.ts) against the code: every entry point is found from
 * the code itself (appRouter's procedures, the route files' exports and actions, the Convex
 * modules' public functions), each must have exactly one entry, and each is called as every
 * role and as an anonymous caller. Refused means UNAUTHORIZED/FORBIDDEN (tRPC), 401/403 or a
 * sign-in redirect (routes, including the hooks' page guards), UNAUTHENTICATED/FORBIDDEN
 * (Convex); anything else (a 400 for empty input, a missing row, reaching the services) counts
 * as allowed. Services are a stand-in that throws `Reached` on first use, so nothing real runs.
 */
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { makeFunctionReference, type FunctionReference } from 'convex/server';
import { describe, expect, it, vi } from 'vitest';
import { modules, newConvex } from '$convex/test.setup';
import { ROLES, type Role } from '../../roles';
import { createCallerFactory, type Context } from '../trpc/init';
import { appRouter } from '../trpc/router';
import { PUBLIC_AUTH_PATHS } from './http-endpoints';
import { decideAccess } from './page-access';
import { POLICY, gateAdmits, type Principal } from './policy';

class Reached extends Error {}

/** Services that record only that the entry point got as far as using them. */
const reached: unknown = new Proxy(
	{},
	{
		get(_target, prop) {
			if (prop === 'then') return undefined; // not a thenable, so `await getServices()` yields the proxy
			throw new Reached(`services.${String(prop)}`);
		}
	}
);

vi.mock('$lib/server/services', async (importOriginal) => ({
	...(await importOriginal<object>()),
	getServices: () => Promise.resolve(reached)
}));

const PRINCIPALS: readonly Principal[] = [...ROLES, 'anonymous'];

function userOf(principal: Principal) {
	return principal === 'anonymous' ? null : { id: `${principal}-1`, name: `${principal} one`, email: `${principal}@test.local`, role: principal };
}

type Outcome = 'allowed' | 'refused';

// ---- tRPC -------------------------------------------------------------------------------

const trpcPaths = Object.keys(appRouter._def.procedures);
const createCaller = createCallerFactory(appRouter);

async function callProcedure(path: string, principal: Principal): Promise<Outcome> {
	const caller = createCaller({ services: reached, user: userOf(principal) } as Context) as unknown as Record<string, unknown>;
	const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
	try {
		await fn(undefined);
		return 'allowed';
	} catch (error) {
		if (error instanceof TRPCError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) return 'refused';
		return 'allowed';
	}
}

// ---- routes -----------------------------------------------------------------------------

type Handler = (event: unknown) => unknown;
interface RouteEntry {
	id: string;
	routeId: string;
	method: string;
	handler: Handler;
}

// The glob skips dot-folders unless named, so /.well-known is listed on its own.
const serverFiles = import.meta.glob<Record<string, unknown>>(['/src/routes/**/+server.ts', '/src/routes/.well-known/**/+server.ts'], { eager: true });
const pageFiles = import.meta.glob<Record<string, unknown>>('/src/routes/**/+page.server.ts', { eager: true });
const layoutFiles = import.meta.glob<Record<string, unknown>>('/src/routes/**/+layout.server.ts', { eager: true });
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

const routeIdOf = (file: string) => file.replace(/^\/src\/routes/, '').replace(/\/\+((page|layout)\.)?server\.ts$/, '') || '/';

function routeEntries(): RouteEntry[] {
	const out: RouteEntry[] = [];
	for (const [file, mod] of Object.entries(serverFiles)) {
		const routeId = routeIdOf(file);
		for (const method of METHODS) {
			if (typeof mod[method] === 'function') out.push({ id: `http:${method} ${routeId}`, routeId, method, handler: mod[method] as Handler });
		}
	}
	for (const [file, mod] of Object.entries(pageFiles)) {
		const routeId = routeIdOf(file);
		if (typeof mod.load === 'function') out.push({ id: `load:${routeId}`, routeId, method: 'GET', handler: mod.load as Handler });
		for (const [name, action] of Object.entries((mod.actions ?? {}) as Record<string, Handler>)) {
			out.push({ id: `action:${routeId}?/${name}`, routeId, method: 'POST', handler: action });
		}
	}
	for (const [file, mod] of Object.entries(layoutFiles)) {
		if (typeof mod.load === 'function') out.push({ id: `layout:${routeIdOf(file)}`, routeId: routeIdOf(file), method: 'GET', handler: mod.load as Handler });
	}
	return out;
}

/** A path the route would match: groups dropped, each [param] filled with a plain segment. */
const concretePath = (routeId: string) => routeId.replace(/\/\([^/]+\)/g, '').replace(/\[[^\]]+\]/g, 'x') || '/';

async function callRoute(entry: RouteEntry, principal: Principal): Promise<Outcome> {
	const user = userOf(principal);
	const url = new URL(concretePath(entry.routeId), 'http://localhost:3000');
	// A layout's load runs under every page below it, public ones included, so it answers for itself.
	const access = entry.id.startsWith('layout:') ? null : decideAccess({ pathname: url.pathname, search: '', routeId: entry.routeId }, user);
	if (access && access.kind !== 'allow') return 'refused';
	const form = entry.id.startsWith('action:');
	const request = new Request(url, {
		method: entry.method,
		headers: { origin: url.origin, 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
		body: entry.method === 'GET' ? undefined : form ? '' : '{}'
	});
	const event = {
		request,
		url,
		params: { trpc: 'x', path: 'x', key: 'x', id: 'x', sid: 'x', action: 'x' },
		route: { id: entry.routeId },
		locals: { user, session: user ? { id: 's', expiresAt: new Date(Date.now() + 3_600_000) } : null, services: reached },
		cookies: { get: () => undefined, getAll: () => [], set: () => undefined, delete: () => undefined, serialize: () => '' },
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => undefined,
		fetch: () => Promise.reject(new Reached('fetch')),
		parent: () => Promise.resolve({}),
		depends: () => undefined,
		untrack: <T>(fn: () => T) => fn(),
		platform: undefined,
		isDataRequest: false,
		isSubRequest: false,
		isRemoteRequest: false
	};
	try {
		const result = await entry.handler(event);
		return result instanceof Response && (result.status === 401 || result.status === 403) ? 'refused' : 'allowed';
	} catch (error) {
		if (isHttpError(error) && (error.status === 401 || error.status === 403)) return 'refused';
		if (isRedirect(error) && error.location.startsWith('/login?')) return 'refused';
		return 'allowed';
	}
}

// ---- Convex -----------------------------------------------------------------------------

interface ConvexEntry {
	id: string;
	kind: 'query' | 'mutation' | 'action';
	path: string;
	args: string;
}

async function convexEntries(): Promise<ConvexEntry[]> {
	const out: ConvexEntry[] = [];
	for (const [file, load] of Object.entries(modules)) {
		// Every module Convex would deploy, nested ones included; not its helpers (lib/), generated code or config.
		if (!file.endsWith('.ts') || /^\.\/(_generated|lib)\//.test(file) || file === './schema.ts' || file === './auth.config.ts') continue;
		const module = file.slice(2, -3);
		const mod = (await load()) as Record<string, Record<string, unknown>>;
		for (const [name, fn] of Object.entries(mod)) {
			if (typeof fn !== 'function' && typeof fn !== 'object') continue;
			if (!fn || fn.isPublic !== true) continue;
			const kind = fn.isQuery ? 'query' : fn.isMutation ? 'mutation' : 'action';
			out.push({ id: `convex:${module}.${name}`, kind, path: `${module}:${name}`, args: (fn.exportArgs as () => string)() });
		}
	}
	return out;
}

interface ValidatorJson {
	type: string;
	value?: unknown;
	tableName?: string;
}

/** The simplest value a validator accepts, so arguments pass and the guard decides. */
function sample(validator: ValidatorJson): unknown {
	switch (validator.type) {
		case 'object':
			return Object.fromEntries(
				Object.entries(validator.value as Record<string, { fieldType: ValidatorJson; optional: boolean }>)
					.filter(([, field]) => !field.optional)
					.map(([key, field]) => [key, sample(field.fieldType)])
			);
		case 'string':
			return 'x';
		case 'number':
			return 1;
		case 'bigint':
			return 1n;
		case 'boolean':
			return false;
		case 'null':
			return null;
		case 'literal':
			return validator.value;
		case 'union':
			return sample((validator.value as ValidatorJson[])[0]!);
		case 'array':
			return [];
		case 'record':
			return {};
		default:
			return null;
	}
}

async function callConvex(entry: ConvexEntry, principal: Principal): Promise<Outcome> {
	const t = newConvex();
	const caller = principal === 'anonymous' ? t : t.withIdentity({ subject: `${principal}-1`, name: `${principal} one`, role: principal });
	const ref = makeFunctionReference<'query' | 'mutation' | 'action'>(entry.path);
	const args = sample(JSON.parse(entry.args) as ValidatorJson) as Record<string, unknown>;
	try {
		if (entry.kind === 'query') await caller.query(ref as FunctionReference<'query'>, args);
		else if (entry.kind === 'mutation') await caller.mutation(ref as FunctionReference<'mutation'>, args);
		else await caller.action(ref as FunctionReference<'action'>, args);
		return 'allowed';
	} catch (error) {
		const code = (error as { data?: { code?: unknown } }).data?.code;
		return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? 'refused' : 'allowed';
	}
}

// ---- the walk ---------------------------------------------------------------------------

function expected(id: string, principal: Principal): Outcome {
	return gateAdmits(POLICY[id]!.gate, principal) ? 'allowed' : 'refused';
}

function expectCoverage(found: string[], prefixes: string[]) {
	const inTable = Object.keys(POLICY).filter((id) => prefixes.some((p) => id.startsWith(p)));
	expect(found.filter((id) => !(id in POLICY)), 'entry points without a policy entry').toEqual([]);
	expect(inTable.filter((id) => !found.includes(id)), 'policy entries without an entry point').toEqual([]);
}

describe('the authorization policy', () => {
	it('has an entry for every tRPC procedure, and every entry has a procedure', () => {
		expect(trpcPaths.length).toBeGreaterThan(30);
		expectCoverage(
			trpcPaths.map((p) => `trpc:${p}`),
			['trpc:']
		);
	});

	it('has an entry for every route handler, page and layout load and form action, and every entry has one', () => {
		expectCoverage(
			routeEntries().map((r) => r.id),
			['http:', 'load:', 'layout:', 'action:']
		);
	});

	it('has an entry for every public Convex function, and every entry has one', async () => {
		expectCoverage(
			(await convexEntries()).map((c) => c.id),
			['convex:']
		);
	});

	it("lists exactly the better-auth endpoints that answer over HTTP", () => {
		expectCoverage(
			PUBLIC_AUTH_PATHS.map((path) => `auth:${path}`),
			['auth:']
		);
	});

	it('admits exactly the roles the table names to every tRPC procedure', async () => {
		const mismatches: string[] = [];
		for (const path of trpcPaths) {
			for (const principal of PRINCIPALS) {
				const outcome = await callProcedure(path, principal);
				if (outcome !== expected(`trpc:${path}`, principal)) mismatches.push(`trpc:${path} as ${principal}: ${outcome}`);
			}
		}
		expect(mismatches).toEqual([]);
	});

	it('admits exactly the roles the table names to every route handler, page and layout load and form action', async () => {
		const mismatches: string[] = [];
		for (const entry of routeEntries()) {
			for (const principal of PRINCIPALS) {
				const outcome = await callRoute(entry, principal);
				if (outcome !== expected(entry.id, principal)) mismatches.push(`${entry.id} as ${principal}: ${outcome}`);
			}
		}
		expect(mismatches).toEqual([]);
	});

	it('admits exactly the roles the table names to every public Convex function', async () => {
		const mismatches: string[] = [];
		for (const entry of await convexEntries()) {
			for (const principal of PRINCIPALS) {
				const outcome = await callConvex(entry, principal);
				if (outcome !== expected(entry.id, principal)) mismatches.push(`${entry.id} as ${principal}: ${outcome}`);
			}
		}
		expect(mismatches).toEqual([]);
	}, 60_000);

	it('refuses the server-only Convex functions to every role, admins included', async () => {
		const system = (await convexEntries()).filter((c) => POLICY[c.id]?.gate.kind === 'system');
		expect(system.length).toBeGreaterThan(5);
		for (const entry of system) {
			for (const role of ROLES satisfies readonly Role[]) expect(await callConvex(entry, role), `${entry.id} as ${role}`).toBe('refused');
		}
	});
});
