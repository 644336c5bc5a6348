import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user } from '../db/schema/auth';
import { createTestDb, type TestDb } from '../db/test-db';
import { createAuth, type Auth } from './auth';
import { bootstrapAdmin } from './bootstrap-admin';
import { signInWithPassword } from './sign-in';
import { browserHeaders, testConfig } from './test-helpers';

let t: TestDb;
let auth: Auth;
beforeAll(async () => {
	t = await createTestDb();
	auth = createAuth(t.db, testConfig());
});
afterAll(() => t.close());

describe('the first admin from ADMIN_EMAIL and ADMIN_PASSWORD', () => {
	it('is created on an archive with no staff, and only then', async () => {
		expect(await bootstrapAdmin(auth, t.db, { email: 'First@Example.com', password: 'first admin password' })).toBe(true);
		expect(await t.db.select({ role: user.role, name: user.name }).from(user).where(eq(user.email, 'first@example.com'))).toEqual([
			{ role: 'admin', name: 'Administrator' }
		]);
		const signedIn = await signInWithPassword(auth, { email: 'first@example.com', password: 'first admin password', headers: browserHeaders() });
		expect(signedIn.ok).toBe(true);

		// A later start with other values (or the same ones) changes nothing.
		expect(await bootstrapAdmin(auth, t.db, { email: 'second@example.com', password: 'second admin password' })).toBe(false);
		expect(await bootstrapAdmin(auth, t.db, { email: 'first@example.com', password: 'a changed password' })).toBe(false);
		expect(await t.db.select({ id: user.id }).from(user)).toHaveLength(1);
		const old = await signInWithPassword(auth, { email: 'first@example.com', password: 'first admin password', headers: browserHeaders() });
		expect(old.ok).toBe(true);
	});
});
