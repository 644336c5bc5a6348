/** Builders for auth tests: a config with a fixed secret, staff rows, and request headers carrying a session cookie. */
import { randomUUID } from 'node:crypto';
import { parseSetCookieHeader } from 'better-auth/cookies';
import type { Role } from '../../roles';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { parseConfig, type Config } from '../env';
import type { Auth } from './auth';
import { withClientIp } from './client-ip';
import { createStaffUser } from './create-staff-user';
import { signInWithPassword } from './sign-in';
import type { StaffUser } from './staff-user';

export const TEST_PASSWORD = 'correct-horse-battery';

export function testConfig(env: Record<string, string> = {}): Config {
	return parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_SECRET: 'test-secret-that-is-long-enough-0123456789', ...env });
}

/** Headers as a browser at `address` would send them. */
export function browserHeaders(address = '203.0.113.10', cookie?: string): Headers {
	const headers = withClientIp(new Headers({ 'user-agent': 'vitest' }), address);
	if (cookie) headers.set('cookie', cookie);
	return headers;
}

/** Turn a response's Set-Cookie into the Cookie header the browser sends next. */
export function cookieFrom(headers: Headers): string {
	const setCookie = headers.get('set-cookie') ?? '';
	return [...parseSetCookieHeader(setCookie)].map(([name, attributes]) => `${name}=${attributes.value}`).join('; ');
}

let counter = 0;

/** A staff row without a password, for tests that never sign in (hashing is the slow part). */
export async function makeStaff(db: Db, role: Role = 'agent'): Promise<StaffUser> {
	counter += 1;
	const [row] = await db
		.insert(user)
		.values({ id: randomUUID(), name: `Test ${role} ${counter}`, email: `${role}${counter}.${randomUUID().slice(0, 8)}@test.local`, role })
		.returning();
	return { id: row!.id, name: row!.name, email: row!.email, role, createdAt: row!.createdAt, banned: row!.banned };
}

/** A staff member who can sign in with TEST_PASSWORD. */
export async function makeStaffWithPassword(auth: Auth, db: Db, role: Role = 'agent'): Promise<StaffUser> {
	counter += 1;
	return createStaffUser(auth, db, { email: `${role}${counter}@test.local`, password: TEST_PASSWORD, name: `Test ${role} ${counter}`, role });
}

/** Sign in and answer the Cookie header of the new session. */
export async function signedInCookie(auth: Auth, email: string, address?: string): Promise<string> {
	const result = await signInWithPassword(auth, { email, password: TEST_PASSWORD, headers: browserHeaders(address) });
	if (!result.ok) throw new Error(`sign-in failed in test setup: ${result.message}`);
	return cookieFrom(result.headers);
}
