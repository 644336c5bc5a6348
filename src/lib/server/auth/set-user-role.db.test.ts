import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../roles';
import { user } from '../db/schema/auth';
import { createTestDb, type TestDb } from '../db/test-db';
import { setUserRole } from './set-user-role';
import { makeStaff } from './test-helpers';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

async function staff(role: Role) {
	return (await makeStaff(t.db, role)).id;
}

async function admins() {
	return (await t.db.select({ id: user.id }).from(user).where(eq(user.role, 'admin'))).map((r) => r.id);
}

describe('setUserRole', () => {
	it('lets only one of two admins demote the other at the same moment', async () => {
		const [a, b] = [await staff('admin'), await staff('admin')];
		const race = () =>
			Promise.allSettled([setUserRole(t.db, { actorId: a, userId: b, role: 'agent' }), setUserRole(t.db, { actorId: b, userId: a, role: 'agent' })]);
		let pending: ReturnType<typeof race> | undefined;
		if (t.database.driver === 'postgres') {
			// Hold the admin rows for a moment so both changes are in flight before either may proceed.
			await t.db.transaction(async (tx) => {
				await tx.select({ id: user.id }).from(user).where(eq(user.role, 'admin')).for('update');
				pending = race();
				await new Promise((r) => setTimeout(r, 300));
			});
		} else {
			pending = race(); // PGlite runs one transaction at a time: the lock cannot be contended.
		}
		const results = await pending!;
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const refused = results.find((r) => r.status === 'rejected');
		expect(refused?.reason).toMatchObject({ kind: 'CONFLICT', code: 'LAST_ADMIN' });
		expect(await admins()).toHaveLength(1);
	});

	it('does not count a banned admin as the one left behind', async () => {
		const [remaining] = await admins();
		const banned = await staff('admin');
		await t.db.update(user).set({ banned: true }).where(eq(user.id, banned));
		await expect(setUserRole(t.db, { actorId: remaining!, userId: remaining!, role: 'manager' })).rejects.toMatchObject({ code: 'LAST_ADMIN' });
		expect(await admins()).toContain(remaining);
	});

	it('answers the user unchanged when the role is already set', async () => {
		const agent = await staff('agent');
		const [admin] = await admins();
		expect(await setUserRole(t.db, { actorId: admin!, userId: agent, role: 'agent' })).toMatchObject({ id: agent, role: 'agent' });
	});
});
