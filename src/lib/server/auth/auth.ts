/**
 * Sign-in for staff: better-auth over the archive's drizzle client. Email and password only;
 * nobody signs up (admins and the seeder create staff), roles come from the admin plugin, and
 * failed sign-ins are throttled per address and email. This module imports nothing from
 * SvelteKit, so scripts, the seeder and tests can load it.
 */
import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin } from 'better-auth/plugins/admin';
import { adminAc, userAc } from 'better-auth/plugins/admin/access';
import type { Role } from '../../roles';
import type { Db } from '../db/client';
import * as authSchema from '../db/schema/auth';
import type { Config } from '../env';
import { logger } from '../log';
import { CLIENT_IP_HEADER } from './client-ip';
import { httpAllowList } from './http-endpoints';
import { loginThrottle, SIGN_IN_THROTTLE } from './login-throttle';

/**
 * The admin plugin's permissions per staff role. Only admins manage users; what the other
 * roles may do in the app is decided by ROLE_GUARDS, not here.
 */
const STAFF_ROLES = { agent: userAc, manager: userAc, supervisor: userAc, admin: adminAc } satisfies Record<Role, unknown>;

const log = logger('auth');

/** Session cookies are named `switchboard.session_token` (plus `__Secure-` on https). */
export const COOKIE_PREFIX = 'switchboard';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export function createAuth(db: Db, config: Config, extraPlugins: BetterAuthPlugin[] = []) {
	if (!config.authSecret) {
		throw new Error('createAuth needs config.authSecret: pass the config through resolveLocalSecrets() first, or set AUTH_SECRET.');
	}
	const ttlSeconds = Math.round(config.sessionTtlHours * 3600);
	return betterAuth({
		appName: 'Switchboard',
		secret: config.authSecret,
		baseURL: config.publicBaseUrl,
		trustedOrigins: [config.publicBaseUrl],
		database: drizzleAdapter(db, { provider: 'pg', schema: authSchema }),
		emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: PASSWORD_MIN_LENGTH, maxPasswordLength: PASSWORD_MAX_LENGTH },
		session: {
			expiresIn: ttlSeconds,
			// Sliding expiry: an active session is extended at most once per updateAge.
			updateAge: Math.min(3600, Math.floor(ttlSeconds / 2)),
			// Every request reads the session and user rows, so a role change or a ban applies at once.
			cookieCache: { enabled: false }
		},
		rateLimit: {
			// better-auth only limits in production by default; sign-in must be throttled everywhere.
			enabled: true,
			storage: 'database',
			window: 60,
			max: 100
		},
		advanced: {
			cookiePrefix: COOKIE_PREFIX,
			// handle.ts writes this header from getClientAddress() (the socket, or adapter-node's
			// ADDRESS_HEADER), replacing whatever the client sent, so forged headers cannot dodge the throttle.
			ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] }
		},
		telemetry: { enabled: false },
		logger: {
			disabled: config.logLevel === 'silent',
			level: config.logLevel === 'silent' ? 'error' : config.logLevel,
			log: (level, message, ...args: unknown[]) => log[level](message, args.length ? { details: args.map(String) } : undefined)
		},
		plugins: [
			admin({
				roles: STAFF_ROLES,
				defaultRole: 'agent',
				adminRoles: ['admin'],
				bannedUserMessage: 'This account is suspended. Ask an administrator to restore it.'
			}),
			loginThrottle(db, SIGN_IN_THROTTLE),
			// Before any endpoint: the browser reaches only sign-in, session and sign-out.
			httpAllowList(),
			...extraPlugins
		]
	});
}

export type Auth = ReturnType<typeof createAuth>;
