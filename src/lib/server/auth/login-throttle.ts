/**
 * Throttles failed sign-ins, as a better-auth plugin so it guards both the login form
 * (auth.api.signInEmail) and POST /api/auth/sign-in/email, with three failure counters: per
 * client address AND email (tight, short), per account across every address (one password guessed
 * from many addresses), and per address across every account (one password tried on many
 * accounts; generous, since an office behind one NAT shares an address). better-auth's own limiter
 * keys on address and path only and counts successes too; these count failures, and a success
 * clears the first two. The client address is only as good as adapter-node's ADDRESS_HEADER and
 * XFF_DEPTH behind a proxy (env.ts refuses to start without them there).
 * Counters live in better-auth's rate_limit table, so every app instance sees the same numbers.
 */
import { randomUUID } from 'node:crypto';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, getIP, isAPIError } from 'better-auth/api';
import { and, eq, inArray, like, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimit } from '../db/schema/auth';

export interface SignInThrottle {
	/** Failed attempts allowed per address+email inside the window; the next one is refused. */
	maxFailures: number;
	windowSeconds: number;
	/**
	 * Failed attempts allowed for one account from all addresses together inside accountWindowSeconds,
	 * so guessing one password from many addresses is slowed too. Higher than maxFailures: reaching it
	 * locks the account's owner out for the rest of the window as well.
	 */
	maxAccountFailures: number;
	accountWindowSeconds: number;
	/**
	 * Failed attempts allowed from one address over all accounts inside addressWindowSeconds (one
	 * password tried on many accounts). Generous: an office behind one NAT shares an address.
	 */
	maxAddressFailures: number;
	addressWindowSeconds: number;
	/** better-auth's plain limit on POST /api/auth/sign-in/email per address, failures or not. */
	maxRequestsPerAddress: number;
}

export const SIGN_IN_THROTTLE: SignInThrottle = {
	maxFailures: 5,
	windowSeconds: 60,
	maxAccountFailures: 20,
	accountWindowSeconds: 15 * 60,
	maxAddressFailures: 100,
	addressWindowSeconds: 15 * 60,
	maxRequestsPerAddress: 30
};

export const TOO_MANY_SIGN_INS = 'TOO_MANY_SIGN_IN_ATTEMPTS';
const SIGN_IN_PATH = '/sign-in/email';

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** One failure counter: its key prefix (one per kind, so stale rows are dropped per window) and its limit. */
interface Counter {
	key: string;
	prefix: string;
	max: number;
	windowSeconds: number;
	/** Whether a successful sign-in clears it; the per-address one stays, or one's own account would reset it. */
	clearedBySuccess: boolean;
}

function counters(ctx: HookContext, limits: SignInThrottle): Counter[] | null {
	const body = ctx.body as { email?: unknown } | undefined;
	if (typeof body?.email !== 'string') return null;
	const source = ctx.request ?? ctx.headers;
	const address = (source && getIP(source, ctx.context.options)) ?? 'unknown';
	const email = body.email.trim().toLowerCase();
	return [
		{ prefix: 'sign-in-failures|', key: `sign-in-failures|${address}|${email}`, max: limits.maxFailures, windowSeconds: limits.windowSeconds, clearedBySuccess: true },
		{ prefix: 'sign-in-account|', key: `sign-in-account|${email}`, max: limits.maxAccountFailures, windowSeconds: limits.accountWindowSeconds, clearedBySuccess: true },
		{ prefix: 'sign-in-address|', key: `sign-in-address|${address}`, max: limits.maxAddressFailures, windowSeconds: limits.addressWindowSeconds, clearedBySuccess: false }
	];
}

/** Seconds until `counter` lets a sign-in through, or 0 when it may try now. */
async function secondsUntilAllowed(db: Db, counter: Counter, now = Date.now()): Promise<number> {
	const [row] = await db.select().from(rateLimit).where(eq(rateLimit.key, counter.key));
	if (!row || row.count < counter.max) return 0;
	const reopensAt = row.lastRequest + counter.windowSeconds * 1000;
	return reopensAt > now ? Math.ceil((reopensAt - now) / 1000) : 0;
}

/** Count one failure; a failure after a quiet window starts the count again. Stale counters are dropped on the way. */
async function recordFailure(db: Db, counter: Counter, now: number): Promise<void> {
	const staleBefore = now - counter.windowSeconds * 1000;
	await db.delete(rateLimit).where(and(like(rateLimit.key, `${counter.prefix}%`), lt(rateLimit.lastRequest, staleBefore)));
	await db
		.insert(rateLimit)
		.values({ id: randomUUID(), key: counter.key, count: 1, lastRequest: now })
		.onConflictDoUpdate({
			target: rateLimit.key,
			set: {
				count: sql`case when ${rateLimit.lastRequest} <= ${staleBefore} then 1 else ${rateLimit.count} + 1 end`,
				lastRequest: now
			}
		});
}

export function loginThrottle(db: Db, limits: SignInThrottle) {
	const isSignIn = (ctx: { path?: string }) => ctx.path === SIGN_IN_PATH;
	return {
		id: 'switchboard-login-throttle',
		rateLimit: [{ pathMatcher: (path: string) => path === SIGN_IN_PATH, window: limits.windowSeconds, max: limits.maxRequestsPerAddress }],
		hooks: {
			before: [
				{
					matcher: isSignIn,
					handler: createAuthMiddleware(async (ctx) => {
						const list = counters(ctx, limits);
						if (!list) return;
						const now = Date.now();
						const retryAfter = Math.max(...(await Promise.all(list.map((c) => secondsUntilAllowed(db, c, now)))));
						if (retryAfter === 0) return;
						throw new APIError(
							'TOO_MANY_REQUESTS',
							{ message: `Too many sign-in attempts. Try again in ${retryAfter} s.`, code: TOO_MANY_SIGN_INS, retryAfter },
							{ 'X-Retry-After': String(retryAfter) }
						);
					})
				}
			],
			after: [
				{
					matcher: isSignIn,
					handler: createAuthMiddleware(async (ctx) => {
						const list = counters(ctx, limits);
						if (!list) return;
						const returned = ctx.context.returned;
						if (isAPIError(returned)) {
							if (returned.statusCode !== 401) return;
							const now = Date.now();
							for (const counter of list) await recordFailure(db, counter, now);
						} else {
							const cleared = list.filter((c) => c.clearedBySuccess).map((c) => c.key);
							await db.delete(rateLimit).where(inArray(rateLimit.key, cleared));
						}
					})
				}
			]
		}
	} satisfies BetterAuthPlugin;
}
