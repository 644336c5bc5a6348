/**
 * Throttles failed sign-ins per client address AND email, as a better-auth plugin so it guards
 * both the login form (auth.api.signInEmail) and POST /api/auth/sign-in/email. better-auth's own
 * limiter keys on address and path only, which would lock a whole office behind one NAT out at
 * shift start, and it counts successes too; this one counts failures, and a success clears them.
 * Counters live in better-auth's rate_limit table, so every app instance sees the same numbers.
 */
import { randomUUID } from 'node:crypto';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, getIP, isAPIError } from 'better-auth/api';
import { and, eq, like, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimit } from '../db/schema/auth';

export interface SignInThrottle {
	/** Failed attempts allowed per address+email inside the window; the next one is refused. */
	maxFailures: number;
	windowSeconds: number;
	/** better-auth's plain limit on POST /api/auth/sign-in/email per address, failures or not. */
	maxRequestsPerAddress: number;
}

export const SIGN_IN_THROTTLE: SignInThrottle = { maxFailures: 5, windowSeconds: 60, maxRequestsPerAddress: 30 };

export const TOO_MANY_SIGN_INS = 'TOO_MANY_SIGN_IN_ATTEMPTS';
const SIGN_IN_PATH = '/sign-in/email';
const KEY_PREFIX = 'sign-in-failures|';

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

function counterKey(ctx: HookContext): string | null {
	const body = ctx.body as { email?: unknown } | undefined;
	if (typeof body?.email !== 'string') return null;
	const source = ctx.request ?? ctx.headers;
	const address = (source && getIP(source, ctx.context.options)) ?? 'unknown';
	return `${KEY_PREFIX}${address}|${body.email.trim().toLowerCase()}`;
}

/** Seconds until `key` may try again, or 0 when it may try now. */
async function secondsUntilAllowed(db: Db, key: string, limits: SignInThrottle, now = Date.now()): Promise<number> {
	const [row] = await db.select().from(rateLimit).where(eq(rateLimit.key, key));
	if (!row || row.count < limits.maxFailures) return 0;
	const reopensAt = row.lastRequest + limits.windowSeconds * 1000;
	return reopensAt > now ? Math.ceil((reopensAt - now) / 1000) : 0;
}

/** Count one failure; a failure after a quiet window starts the count again. Stale counters are dropped on the way. */
async function recordFailure(db: Db, key: string, limits: SignInThrottle, now: number): Promise<void> {
	const staleBefore = now - limits.windowSeconds * 1000;
	await db.delete(rateLimit).where(and(like(rateLimit.key, `${KEY_PREFIX}%`), lt(rateLimit.lastRequest, staleBefore)));
	await db
		.insert(rateLimit)
		.values({ id: randomUUID(), key, count: 1, lastRequest: now })
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
						const key = counterKey(ctx);
						if (!key) return;
						const retryAfter = await secondsUntilAllowed(db, key, limits);
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
						const key = counterKey(ctx);
						if (!key) return;
						const returned = ctx.context.returned;
						if (isAPIError(returned)) {
							if (returned.statusCode === 401) await recordFailure(db, key, limits, Date.now());
						} else {
							await db.delete(rateLimit).where(eq(rateLimit.key, key));
						}
					})
				}
			]
		}
	} satisfies BetterAuthPlugin;
}
