import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../db/test-db';
import { rateLimit, session, user } from '../db/schema/auth';
import { createAuth, type Auth } from './auth';
import { createStaffUser } from './create-staff-user';
import { SIGN_IN_THROTTLE } from './login-throttle';
import { sameSessionUser } from './session-bound-signal';
import { resolveSession } from './session-user';
import { setUserRole } from './set-user-role';
import { signInWithPassword, signOut } from './sign-in';
import { browserHeaders, cookieFrom, makeStaff, makeStaffWithPassword, signedInCookie, TEST_PASSWORD, testConfig } from './test-helpers';

let t: TestDb;
let auth: Auth;
beforeAll(async () => {
	t = await createTestDb();
	auth = createAuth(t.db, testConfig({ SESSION_TTL_HOURS: '2' }));
});
afterAll(() => t.close());

describe('signInWithPassword', () => {
	it('signs a staff member in and the cookie resolves to them with their role', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const result = await signInWithPassword(auth, { email: agent.email.toUpperCase(), password: TEST_PASSWORD, headers: browserHeaders() });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.userId).toBe(agent.id);
		const cookie = cookieFrom(result.headers);
		expect(cookie).toMatch(/^switchboard\.session_token=/);

		const resolved = await resolveSession(auth, browserHeaders(undefined, cookie));
		expect(resolved.user).toEqual({ id: agent.id, name: agent.name, email: agent.email, role: 'agent' });
		expect(resolved.session?.id).toEqual(expect.any(String));
	});

	it('refuses a wrong password with a clear message and no session', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const result = await signInWithPassword(auth, { email: agent.email, password: 'not-the-password', headers: browserHeaders('203.0.113.20') });
		expect(result).toMatchObject({ ok: false, status: 401, code: 'INVALID_CREDENTIALS', message: 'That email and password do not match an account.' });
		expect(await t.db.select().from(session).where(eq(session.userId, agent.id))).toHaveLength(0);
	});

	it('refuses an unknown email the same way', async () => {
		const result = await signInWithPassword(auth, { email: 'nobody@test.local', password: TEST_PASSWORD, headers: browserHeaders('203.0.113.21') });
		expect(result).toMatchObject({ ok: false, status: 401, code: 'INVALID_CREDENTIALS' });
	});

	it('keeps public sign-up closed', async () => {
		await expect(auth.api.signUpEmail({ body: { email: 'walk-in@test.local', password: TEST_PASSWORD, name: 'Walk In' } })).rejects.toMatchObject({
			statusCode: 400
		});
		expect(await t.db.select().from(user).where(eq(user.email, 'walk-in@test.local'))).toHaveLength(0);
	});
});

describe('sign-in throttle', () => {
	it(`refuses even the right password after ${SIGN_IN_THROTTLE.maxFailures} failures from one address for one email`, async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const address = '198.51.100.5';
		for (let i = 0; i < SIGN_IN_THROTTLE.maxFailures; i += 1) {
			const failed = await signInWithPassword(auth, { email: agent.email, password: `wrong-${i}-password`, headers: browserHeaders(address) });
			expect(failed).toMatchObject({ ok: false, status: 401 });
		}
		const refused = await signInWithPassword(auth, { email: agent.email, password: TEST_PASSWORD, headers: browserHeaders(address) });
		expect(refused).toMatchObject({ ok: false, status: 429, code: 'TOO_MANY_SIGN_IN_ATTEMPTS' });
		if (refused.ok) return;
		expect(refused.retryAfter).toBeGreaterThan(SIGN_IN_THROTTLE.windowSeconds - 5);
		expect(refused.retryAfter).toBeLessThanOrEqual(SIGN_IN_THROTTLE.windowSeconds);
		expect(refused.message).toBe(`Too many attempts, try again in ${refused.retryAfter} s.`);

		// Colleagues behind the same address, and the same person elsewhere, are not locked out.
		const colleague = await makeStaffWithPassword(auth, t.db, 'agent');
		expect((await signInWithPassword(auth, { email: colleague.email, password: TEST_PASSWORD, headers: browserHeaders(address) })).ok).toBe(true);
		expect((await signInWithPassword(auth, { email: agent.email, password: TEST_PASSWORD, headers: browserHeaders('198.51.100.6') })).ok).toBe(true);

		// Once the window has passed (moved back rather than waited for), the right password works again.
		await t.db
			.update(rateLimit)
			.set({ lastRequest: Date.now() - SIGN_IN_THROTTLE.windowSeconds * 1000 - 1 })
			.where(eq(rateLimit.key, `sign-in-failures|${address}|${agent.email}`));
		expect((await signInWithPassword(auth, { email: agent.email, password: TEST_PASSWORD, headers: browserHeaders(address) })).ok).toBe(true);
	});

	it(`refuses an account after ${SIGN_IN_THROTTLE.maxAccountFailures} failures spread over many addresses, wherever the next try comes from`, async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		for (let i = 0; i < SIGN_IN_THROTTLE.maxAccountFailures; i += 1) {
			const failed = await signInWithPassword(auth, { email: agent.email, password: 'wrong-password', headers: browserHeaders(`203.0.113.${100 + i}`) });
			expect(failed).toMatchObject({ ok: false, status: 401 });
		}
		const refused = await signInWithPassword(auth, { email: agent.email, password: TEST_PASSWORD, headers: browserHeaders('192.0.2.200') });
		expect(refused).toMatchObject({ ok: false, status: 429, code: 'TOO_MANY_SIGN_IN_ATTEMPTS' });
		if (!refused.ok) expect(refused.retryAfter).toBeGreaterThan(SIGN_IN_THROTTLE.accountWindowSeconds - 10);
		// Other accounts, from the very addresses used, still sign in.
		const colleague = await makeStaffWithPassword(auth, t.db, 'agent');
		expect((await signInWithPassword(auth, { email: colleague.email, password: TEST_PASSWORD, headers: browserHeaders('203.0.113.100') })).ok).toBe(true);
	});

	it(`refuses an address after ${SIGN_IN_THROTTLE.maxAddressFailures} failures over any accounts, and a success there does not reset it`, async () => {
		const address = '198.51.100.50';
		const [agent, other] = [await makeStaffWithPassword(auth, t.db, 'agent'), await makeStaffWithPassword(auth, t.db, 'agent')];
		// The counter one short of the limit (the failures themselves would take a hundred password hashes).
		await t.db.insert(rateLimit).values({ id: 'spray', key: `sign-in-address|${address}`, count: SIGN_IN_THROTTLE.maxAddressFailures - 2, lastRequest: Date.now() });
		expect(await signInWithPassword(auth, { email: 'first-guess@test.local', password: 'Summer2026!', headers: browserHeaders(address) })).toMatchObject({ status: 401 });
		expect((await signInWithPassword(auth, { email: agent.email, password: TEST_PASSWORD, headers: browserHeaders(address) })).ok).toBe(true);
		expect(await signInWithPassword(auth, { email: 'second-guess@test.local', password: 'Summer2026!', headers: browserHeaders(address) })).toMatchObject({ status: 401 });
		const refused = await signInWithPassword(auth, { email: other.email, password: TEST_PASSWORD, headers: browserHeaders(address) });
		expect(refused).toMatchObject({ ok: false, status: 429, code: 'TOO_MANY_SIGN_IN_ATTEMPTS' });
		expect((await signInWithPassword(auth, { email: other.email, password: TEST_PASSWORD, headers: browserHeaders('198.51.100.51') })).ok).toBe(true);
	});

	it('a successful sign-in clears the failures counted so far', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const address = '198.51.100.7';
		for (let i = 0; i < SIGN_IN_THROTTLE.maxFailures - 1; i += 1) {
			await signInWithPassword(auth, { email: agent.email, password: 'wrong-password', headers: browserHeaders(address) });
		}
		expect((await signInWithPassword(auth, { email: agent.email, password: TEST_PASSWORD, headers: browserHeaders(address) })).ok).toBe(true);
		const failed = await signInWithPassword(auth, { email: agent.email, password: 'wrong-password', headers: browserHeaders(address) });
		expect(failed).toMatchObject({ ok: false, status: 401 });
	});

	it('drops stale failure counters when it counts a new failure, so the table stays small', async () => {
		await t.db.insert(rateLimit).values({ id: 'stale', key: 'sign-in-failures|192.0.2.99|gone@test.local', count: 3, lastRequest: Date.now() - 3600_000 });
		await signInWithPassword(auth, { email: 'someone@test.local', password: 'wrong-password', headers: browserHeaders('198.51.100.9') });
		expect(await t.db.select().from(rateLimit).where(eq(rateLimit.id, 'stale'))).toHaveLength(0);
	});

	it('throttles the HTTP endpoint too, answering 429 with Retry-After', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const post = (password: string) =>
			auth.handler(
				new Request('http://localhost:3000/api/auth/sign-in/email', {
					method: 'POST',
					headers: (() => {
						const h = browserHeaders('198.51.100.8');
						h.set('content-type', 'application/json');
						h.set('origin', 'http://localhost:3000');
						return h;
					})(),
					body: JSON.stringify({ email: agent.email, password })
				})
			);
		for (let i = 0; i < SIGN_IN_THROTTLE.maxFailures; i += 1) expect((await post('wrong-password')).status).toBe(401);
		const refused = await post(TEST_PASSWORD);
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('x-retry-after'))).toBeGreaterThan(0);
	});
});

describe('sessions', () => {
	it('expire after SESSION_TTL_HOURS', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const cookie = await signedInCookie(auth, agent.email);
		const resolved = await resolveSession(auth, browserHeaders(undefined, cookie));
		const ttlMs = resolved.session!.expiresAt.getTime() - Date.now();
		expect(ttlMs).toBeGreaterThan(2 * 3600_000 - 60_000);
		expect(ttlMs).toBeLessThanOrEqual(2 * 3600_000);

		await t.db
			.update(session)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(session.userId, agent.id));
		expect((await resolveSession(auth, browserHeaders(undefined, cookie))).user).toBeNull();
	});

	it('see a role change on the very next request', async () => {
		const [admin, agent] = [await makeStaff(t.db, 'admin'), await makeStaffWithPassword(auth, t.db, 'agent')];
		const cookie = await signedInCookie(auth, agent.email);
		expect((await resolveSession(auth, browserHeaders(undefined, cookie))).user?.role).toBe('agent');
		await setUserRole(t.db, { actorId: admin.id, userId: agent.id, role: 'supervisor' });
		expect((await resolveSession(auth, browserHeaders(undefined, cookie))).user?.role).toBe('supervisor');
	});

	it('count a banned user as signed out, and a lapsed ban as signed in', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const cookie = await signedInCookie(auth, agent.email);
		await t.db.update(user).set({ banned: true }).where(eq(user.id, agent.id));
		expect((await resolveSession(auth, browserHeaders(undefined, cookie))).user).toBeNull();
		await t.db
			.update(user)
			.set({ banExpires: new Date(Date.now() - 1000) })
			.where(eq(user.id, agent.id));
		expect((await resolveSession(auth, browserHeaders(undefined, cookie))).user?.id).toBe(agent.id);
	});

	it('end on sign-out', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const cookie = await signedInCookie(auth, agent.email);
		const cleared = await signOut(auth, browserHeaders(undefined, cookie));
		expect(cleared?.get('set-cookie')).toMatch(/switchboard\.session_token=;/);
		expect((await resolveSession(auth, browserHeaders(undefined, cookie))).user).toBeNull();
	});

	it("tell an open stream when its user was removed, banned, signed out or given another role", async () => {
		const admin = await makeStaff(t.db, 'admin');
		const [moved, banned, gone, out] = await Promise.all([1, 2, 3, 4].map(() => makeStaffWithPassword(auth, t.db, 'agent')));
		const checks = await Promise.all(
			[moved!, banned!, gone!, out!].map(async (who, i) => {
				const headers = browserHeaders(`198.51.100.${40 + i}`, await signedInCookie(auth, who.email, `198.51.100.${40 + i}`));
				return { headers, check: sameSessionUser(auth, headers, who) };
			})
		);
		for (const { check } of checks) expect(await check()).toBe(true);
		await setUserRole(t.db, { actorId: admin.id, userId: moved!.id, role: 'supervisor' });
		await t.db.update(user).set({ banned: true }).where(eq(user.id, banned!.id));
		await t.db.delete(user).where(eq(user.id, gone!.id));
		await signOut(auth, checks[3]!.headers);
		for (const { check } of checks) expect(await check()).toBe(false);
	});

	it('resolve to nobody without a cookie, or with a forged one', async () => {
		expect((await resolveSession(auth, browserHeaders())).user).toBeNull();
		expect((await resolveSession(auth, browserHeaders(undefined, 'switchboard.session_token=forged.value'))).user).toBeNull();
	});
});

describe('createStaffUser', () => {
	it('creates a user who can sign in with the given role', async () => {
		const created = await createStaffUser(auth, t.db, { email: ' New.Manager@Test.local ', password: TEST_PASSWORD, name: ' Nia Manager ', role: 'manager' });
		expect(created).toMatchObject({ email: 'new.manager@test.local', name: 'Nia Manager', role: 'manager', banned: false });
		expect(created.createdAt).toBeInstanceOf(Date);
		expect((await signInWithPassword(auth, { email: created.email, password: TEST_PASSWORD, headers: browserHeaders() })).ok).toBe(true);
	});

	it('refuses a taken email and a short password', async () => {
		const agent = await makeStaff(t.db, 'agent');
		await expect(createStaffUser(auth, t.db, { email: agent.email, password: TEST_PASSWORD, name: 'Twin', role: 'agent' })).rejects.toMatchObject({
			kind: 'CONFLICT',
			code: 'EMAIL_TAKEN'
		});
		await expect(createStaffUser(auth, t.db, { email: 'short@test.local', password: 'short', name: 'Short', role: 'agent' })).rejects.toMatchObject({
			kind: 'BAD_REQUEST',
			code: 'INVALID_PASSWORD'
		});
	});
});

describe("better-auth's own HTTP endpoints", () => {
	const call = (path: string, cookie: string, body?: unknown) => {
		const headers = browserHeaders('198.51.100.30', cookie);
		headers.set('origin', 'http://localhost:3000');
		if (body !== undefined) headers.set('content-type', 'application/json');
		return auth.handler(
			new Request(`http://localhost:3000/api/auth${path}`, {
				method: body === undefined ? 'GET' : 'POST',
				headers,
				body: body === undefined ? undefined : JSON.stringify(body)
			})
		);
	};

	it('answer 404 to a self-rename and to every admin endpoint, which would skip our rules; sign-in and the session still answer', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const admin = await makeStaffWithPassword(auth, t.db, 'admin');
		const agentCookie = await signedInCookie(auth, agent.email, '198.51.100.31');
		const adminCookie = await signedInCookie(auth, admin.email, '198.51.100.32');

		expect((await call('/update-user', agentCookie, { name: 'Renamed' })).status).toBe(404);
		expect((await call('/change-email', agentCookie, { newEmail: 'new@test.local' })).status).toBe(404);
		expect((await call('/admin/set-role', adminCookie, { userId: admin.id, role: 'agent' })).status).toBe(404);
		expect((await call('/admin/remove-user', adminCookie, { userId: agent.id })).status).toBe(404);
		expect((await call('/admin/set-user-password', adminCookie, { userId: agent.id, newPassword: 'another-password-1' })).status).toBe(404);
		expect((await call('/admin/list-users', adminCookie)).status).toBe(404);
		expect((await call('/update-user/', agentCookie, { name: 'Renamed' })).status).toBe(404);
		const [agentRow, adminRow] = await Promise.all([agent.id, admin.id].map(async (id) => (await t.db.select().from(user).where(eq(user.id, id)))[0]));
		expect(agentRow).toMatchObject({ name: agent.name, email: agent.email });
		expect(adminRow).toMatchObject({ role: 'admin' });

		const session = await call('/get-session', agentCookie);
		expect(session.status).toBe(200);
		expect(await session.json()).toMatchObject({ user: { id: agent.id } });
		expect((await call('/sign-in/email', '', { email: agent.email, password: TEST_PASSWORD })).status).toBe(200);
		expect((await call('/sign-out', agentCookie, {})).status).toBe(200);
	});
});
