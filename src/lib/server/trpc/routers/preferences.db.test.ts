/**
 * Staff settings through the tRPC router: each person reads and changes only their own row,
 * defaults until the first change, and bad input is refused with nothing written.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../../crm/test-factories';
import { userPreferences } from '../../db/schema/preferences';
import { createTestDb, type TestDb } from '../../db/test-db';
import type { Services } from '../../services';
import { createCallerFactory, type SessionUser } from '../init';
import { preferencesRouter } from './preferences';

let t: TestDb;
const createCaller = createCallerFactory(preferencesRouter);
const as = (who: SessionUser | null) => createCaller({ services: { db: t.db } as unknown as Services, user: who });
const rowsOf = (userId: string) => t.db.select().from(userPreferences).where(eq(userPreferences.userId, userId));

beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

describe('preferences', () => {
	it('answers the defaults before any change, without writing a row', async () => {
		const agent = await makeStaff(t.db, 'agent');
		expect(await as(agent).mine()).toEqual({ openRecordOn: 'never' });
		expect(await rowsOf(agent.id)).toHaveLength(0);
	});

	it('keeps a change for its owner only, and a second change replaces the first', async () => {
		const alice = await makeStaff(t.db, 'agent');
		const bob = await makeStaff(t.db, 'agent');
		expect(await as(alice).update({ openRecordOn: 'ring' })).toEqual({ openRecordOn: 'ring' });
		expect(await as(alice).mine()).toEqual({ openRecordOn: 'ring' });
		expect(await as(bob).mine()).toEqual({ openRecordOn: 'never' });

		await as(bob).update({ openRecordOn: 'answer' });
		await as(alice).update({ openRecordOn: 'never' });
		expect(await as(alice).mine()).toEqual({ openRecordOn: 'never' });
		expect(await as(bob).mine()).toEqual({ openRecordOn: 'answer' });
		expect(await rowsOf(alice.id)).toHaveLength(1);
	});

	it('lands both of two concurrent saves from different browsers as one row', async () => {
		const agent = await makeStaff(t.db, 'agent');
		const results = await Promise.all([as(agent).update({ openRecordOn: 'ring' }), as(agent).update({ openRecordOn: 'answer' })]);
		expect(results.map((r) => r.openRecordOn).sort()).toEqual(['answer', 'ring']);
		const rows = await rowsOf(agent.id);
		expect(rows).toHaveLength(1);
		expect(['ring', 'answer']).toContain(rows[0]?.openRecordOn);
	});

	it('refuses to touch another user: a userId in the input is rejected and nobody changes', async () => {
		const alice = await makeStaff(t.db, 'agent');
		const bob = await makeStaff(t.db, 'agent');
		const error = await as(alice)
			.update({ openRecordOn: 'ring', userId: bob.id } as never)
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'BAD_REQUEST' });
		expect(String((error as Error).message)).toMatch(/Only your own settings.*userId/);
		expect(await rowsOf(bob.id)).toHaveLength(0);
		expect(await rowsOf(alice.id)).toHaveLength(0);
	});

	it('refuses an unknown choice with a message naming the choices, writing nothing', async () => {
		const agent = await makeStaff(t.db, 'agent');
		const error = await as(agent)
			.update({ openRecordOn: 'always' } as never)
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'BAD_REQUEST' });
		expect(String((error as Error).message)).toContain('openRecordOn must be one of: never, ring, answer.');
		await expect(as(agent).update({} as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		expect(await rowsOf(agent.id)).toHaveLength(0);
	});

	it('is UNAUTHORIZED when signed out', async () => {
		await expect(as(null).mine()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		await expect(as(null).update({ openRecordOn: 'ring' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
	});

	it('works for every staff role, since everyone with a softphone has the setting', async () => {
		for (const role of ['manager', 'supervisor', 'admin'] as const) {
			const who = await makeStaff(t.db, role);
			expect(await as(who).update({ openRecordOn: 'answer' })).toEqual({ openRecordOn: 'answer' });
		}
	});
});
