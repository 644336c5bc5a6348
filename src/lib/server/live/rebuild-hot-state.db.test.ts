import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFunctionName } from 'convex/server';
import { api } from '$convex/_generated/api';
import { createTestDb, type TestDb } from '../db/test-db';
import { user } from '../db/schema/auth';
import { agentSkills, skills } from '../db/schema/staff';
import { createLocalHotState, type HotState, type Identity } from './hot';
import { HYDRATE_BATCH, rebuildHotState } from './rebuild-hot-state';

let testDb: TestDb;
let hot: HotState;
const viewer: Identity = { subject: 'u-sue', role: 'supervisor', name: 'Sue' };

beforeAll(async () => {
	[testDb, hot] = await Promise.all([createTestDb(), createLocalHotState()]);
	const { db } = testDb;
	await db.insert(user).values([
		{ id: 'u-ann', name: 'Ann Agent', email: 'ann@example.com', role: 'agent' },
		{ id: 'u-bob', name: 'Bob Agent', email: 'bob@example.com', role: 'agent' },
		{ id: 'u-sue', name: 'Sue Supervisor', email: 'sue@example.com', role: 'supervisor' },
		{ id: 'u-ban', name: 'Banned Person', email: 'ban@example.com', role: 'agent', banned: true }
	]);
	await db.insert(skills).values([
		{ id: 'billing', name: 'Billing' },
		{ id: 'spanish', name: 'Spanish' }
	]);
	await db.insert(agentSkills).values([
		{ userId: 'u-ann', skill: 'billing', level: 4 },
		{ userId: 'u-ann', skill: 'spanish', level: 2 },
		{ userId: 'u-bob', skill: 'billing', level: 3 },
		{ userId: 'u-ban', skill: 'billing', level: 5 }
	]);
});

afterAll(async () => {
	await Promise.all([hot?.close(), testDb?.close()]);
});

describe('rebuildHotState', () => {
	it('puts every staff user who may sign in on the roster, offline, with their archive skills', async () => {
		await rebuildHotState({ db: testDb.db, hot });
		const roster = await hot.query(api.agentStatus.list, {}, viewer);
		expect(roster.map((a) => [a.userId, a.role, a.status])).toEqual([
			['u-ann', 'agent', 'offline'],
			['u-bob', 'agent', 'offline'],
			['u-sue', 'supervisor', 'offline']
		]);
		expect(await hot.query(api.agentSkills.list, {}, viewer)).toEqual([
			{ userId: 'u-ann', skill: 'billing', level: 4 },
			{ userId: 'u-ann', skill: 'spanish', level: 2 },
			{ userId: 'u-bob', skill: 'billing', level: 3 }
		]);
	});

	it('keeps live statuses on a second run and follows the archive for names, roles, leavers and skills', async () => {
		await hot.mutation(api.agentStatus.setMine, { status: 'available' }, { subject: 'u-ann', role: 'agent', name: 'Ann Agent' });
		const { db } = testDb;
		await db.update(user).set({ name: 'Ann Example', role: 'manager' }).where(eq(user.id, 'u-ann'));
		await db.delete(user).where(eq(user.id, 'u-bob'));
		await db.update(agentSkills).set({ level: 5 }).where(eq(agentSkills.userId, 'u-ann'));

		await rebuildHotState({ db, hot });
		const roster = await hot.query(api.agentStatus.list, {}, viewer);
		expect(roster.map((a) => [a.userId, a.name, a.role, a.status])).toEqual([
			['u-ann', 'Ann Example', 'manager', 'available'],
			['u-sue', 'Sue Supervisor', 'supervisor', 'offline']
		]);
		expect(await hot.query(api.agentSkills.list, {}, viewer)).toEqual([
			{ userId: 'u-ann', skill: 'billing', level: 5 },
			{ userId: 'u-ann', skill: 'spanish', level: 5 }
		]);
	});

	it('hydrates a large roster in batches, each within Convex limits (the engine enforces them)', async () => {
		const { db } = testDb;
		const many = Array.from({ length: 450 }, (_, i) => ({ id: `u-many-${i}`, name: `Many ${i}`, email: `many${i}@example.com`, role: 'agent' }));
		await db.insert(user).values(many);
		await db.insert(agentSkills).values(many.map((u) => ({ userId: u.id, skill: 'billing', level: 2 })));
		const sizes: { name: string; agents: number }[] = [];
		const recording: HotState = {
			...hot,
			mutation: (ref, args, identity) => {
				const a = args as { agents?: unknown[]; userIds?: unknown[] };
				sizes.push({ name: getFunctionName(ref), agents: (a.agents ?? a.userIds ?? []).length });
				return hot.mutation(ref, args, identity);
			}
		};
		await rebuildHotState({ db, hot: recording });
		const hydrates = sizes.filter((c) => c.name === 'agentStatus:hydrate');
		expect(hydrates.length).toBe(3);
		expect(Math.max(...hydrates.map((c) => c.agents))).toBeLessThanOrEqual(HYDRATE_BATCH);
		expect(sizes.filter((c) => c.name === 'agentSkills:replaceForAgents').map((c) => c.agents)).toEqual([200, 200, 52]);
		expect((await hot.query(api.agentStatus.list, {}, viewer)).length).toBe(452);
		expect((await hot.query(api.agentSkills.list, {}, viewer)).filter((s) => s.userId.startsWith('u-many-')).length).toBe(450);
	});
});
