import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../auth/auth';
import type { SessionUser } from '../../auth/session-user';
import { makeStaff, TEST_PASSWORD, testConfig } from '../../auth/test-helpers';
import { user } from '../../db/schema/auth';
import { createTestDb, type TestDb } from '../../db/test-db';
import type { Services } from '../../services';
import { createCallerFactory } from '../init';
import { adminRouter } from './admin';

let t: TestDb;
let auth: Auth;
const createCaller = createCallerFactory(adminRouter);

/** A caller signed in as `who`; only the services the admin router touches are real. */
function callerFor(who: SessionUser | null) {
	return createCaller({ services: { db: t.db, auth } as unknown as Services, user: who });
}

async function roleOf(id: string) {
	const [row] = await t.db.select({ role: user.role }).from(user).where(eq(user.id, id));
	return row?.role;
}

let admin: SessionUser;
beforeAll(async () => {
	t = await createTestDb();
	auth = createAuth(t.db, testConfig());
	admin = await makeStaff(t.db, 'admin');
});
afterAll(() => t.close());

describe('admin.setRole', () => {
	it('changes the role and answers the updated user', async () => {
		const agent = await makeStaff(t.db, 'agent');
		const updated = await callerFor(admin).setRole({ userId: agent.id, role: 'manager' });
		expect(updated).toMatchObject({ id: agent.id, role: 'manager', banned: false });
		expect(updated.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(await roleOf(agent.id)).toBe('manager');
	});

	it('is FORBIDDEN to an agent, and nothing is written', async () => {
		const agent = await makeStaff(t.db, 'agent');
		const target = await makeStaff(t.db, 'agent');
		await expect(callerFor(agent).setRole({ userId: target.id, role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(callerFor(agent).setRole({ userId: agent.id, role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await roleOf(target.id)).toBe('agent');
		expect(await roleOf(agent.id)).toBe('agent');
	});

	it('is UNAUTHORIZED when signed out', async () => {
		const target = await makeStaff(t.db, 'agent');
		await expect(callerFor(null).setRole({ userId: target.id, role: 'admin' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		expect(await roleOf(target.id)).toBe('agent');
	});

	it('refuses an unknown role with a message naming the choices', async () => {
		const target = await makeStaff(t.db, 'agent');
		const error = await callerFor(admin)
			.setRole({ userId: target.id, role: 'owner' as never })
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'BAD_REQUEST' });
		expect(String((error as Error).message)).toContain('Role must be one of agent, manager, supervisor, admin.');
		expect(await roleOf(target.id)).toBe('agent');
	});

	it('answers NOT_FOUND for an unknown user', async () => {
		await expect(callerFor(admin).setRole({ userId: 'no-such-user', role: 'agent' })).rejects.toMatchObject({
			code: 'NOT_FOUND',
			message: 'No staff member has id no-such-user.'
		});
	});

	it('refuses to demote the last admin, and the row stays admin', async () => {
		// No test in this file leaves a second admin behind, so `admin` is the only one here.
		await expect(callerFor(admin).setRole({ userId: admin.id, role: 'agent' })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: 'You are the last admin: make someone else an admin before changing your own role.'
		});
		expect(await roleOf(admin.id)).toBe('admin');

		// With a second admin, either may step down.
		const second = await makeStaff(t.db, 'admin');
		expect((await callerFor(admin).setRole({ userId: second.id, role: 'supervisor' })).role).toBe('supervisor');
		expect(await roleOf(second.id)).toBe('supervisor');
	});
});

describe('admin.createUser and listUsers', () => {
	it('creates a staff member who then appears in the list', async () => {
		const created = await callerFor(admin).createUser({ name: 'Sam Supervisor', email: 'sam.super@test.local', password: TEST_PASSWORD, role: 'supervisor' });
		expect(created).toMatchObject({ name: 'Sam Supervisor', email: 'sam.super@test.local', role: 'supervisor', banned: false });
		const listed = await callerFor(admin).listUsers();
		expect(listed.find((u) => u.id === created.id)).toEqual(created);
		expect(listed.find((u) => u.id === admin.id)).toMatchObject({ email: admin.email, role: 'admin' });
	});

	it('answers CONFLICT for a taken email and BAD_REQUEST for a short password', async () => {
		await expect(callerFor(admin).createUser({ name: 'Copy', email: admin.email, password: TEST_PASSWORD, role: 'agent' })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: `${admin.email} already has an account.`
		});
		await expect(callerFor(admin).createUser({ name: 'Short', email: 'short@test.local', password: 'abc', role: 'agent' })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		expect(await t.db.select().from(user).where(eq(user.email, 'short@test.local'))).toHaveLength(0);
	});

	it('is FORBIDDEN to a supervisor, and nobody is created', async () => {
		const supervisor = await makeStaff(t.db, 'supervisor');
		await expect(
			callerFor(supervisor).createUser({ name: 'Sneaky', email: 'sneaky@test.local', password: TEST_PASSWORD, role: 'admin' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(callerFor(supervisor).listUsers()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await t.db.select().from(user).where(eq(user.email, 'sneaky@test.local'))).toHaveLength(0);
	});
});
