import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { as, newConvex, rejectsWith } from './test.setup';

const allRows = (t: ReturnType<typeof newConvex>) => t.run((ctx) => ctx.db.query('agent_skills').collect());

describe('agentSkills', () => {
	it('refuses an admin calling setForAgent directly (no archive write, no audit row), and writes nothing', async () => {
		const t = newConvex();
		await as(t, 'system').mutation(api.agentSkills.replaceAll, { skills: [{ userId: 'u1', skill: 'billing', level: 2 }] });
		const before = await allRows(t);
		await rejectsWith(as(t, 'admin', 'a1').mutation(api.agentSkills.setForAgent, { userId: 'u1', skills: [{ skill: 'billing', level: 5 }] }), 'FORBIDDEN');
		expect(await allRows(t)).toEqual(before);
	});

	it('refuses an agent calling the server-only setForAgent, and writes nothing', async () => {
		const t = newConvex();
		await as(t, 'system').mutation(api.agentSkills.replaceAll, { skills: [{ userId: 'u1', skill: 'billing', level: 2 }] });
		const before = await allRows(t);
		await rejectsWith(
			as(t, 'agent', 'u1').mutation(api.agentSkills.setForAgent, { userId: 'u1', skills: [{ skill: 'billing', level: 5 }] }),
			'FORBIDDEN'
		);
		expect(await allRows(t)).toEqual(before);
	});

	it("lets the server replace one agent's skills, leaving the others alone", async () => {
		const t = newConvex();
		await as(t, 'system').mutation(api.agentSkills.replaceAll, {
			skills: [
				{ userId: 'u1', skill: 'billing', level: 2 },
				{ userId: 'u1', skill: 'spanish', level: 4 },
				{ userId: 'u2', skill: 'billing', level: 3 }
			]
		});
		await as(t, 'system').mutation(api.agentSkills.setForAgent, {
			userId: 'u1',
			skills: [
				{ skill: 'Billing', level: 5 },
				{ skill: 'tech', level: 1 }
			]
		});
		expect(await as(t, 'agent').query(api.agentSkills.list, {})).toEqual([
			{ userId: 'u1', skill: 'billing', level: 5 },
			{ userId: 'u1', skill: 'tech', level: 1 },
			{ userId: 'u2', skill: 'billing', level: 3 }
		]);
		expect(await as(t, 'agent').query(api.agentSkills.list, { userId: 'u2' })).toEqual([
			{ userId: 'u2', skill: 'billing', level: 3 }
		]);
	});

	it('rejects levels outside 1-5 and duplicate skills without writing', async () => {
		const t = newConvex();
		const server = as(t, 'system');
		await rejectsWith(
			server.mutation(api.agentSkills.setForAgent, { userId: 'u1', skills: [{ skill: 'billing', level: 6 }] }),
			'INVALID_SKILL_LEVEL'
		);
		await rejectsWith(
			server.mutation(api.agentSkills.setForAgent, { userId: 'u1', skills: [{ skill: 'billing', level: 2.5 }] }),
			'INVALID_SKILL_LEVEL'
		);
		await rejectsWith(
			server.mutation(api.agentSkills.setForAgent, {
				userId: 'u1',
				skills: [
					{ skill: 'billing', level: 1 },
					{ skill: 'BILLING', level: 2 }
				]
			}),
			'DUPLICATE_SKILL'
		);
		expect(await allRows(t)).toEqual([]);
	});

	it('replaceAll makes the table match the archive exactly', async () => {
		const t = newConvex();
		const system = as(t, 'system');
		await system.mutation(api.agentSkills.replaceAll, {
			skills: [
				{ userId: 'u1', skill: 'billing', level: 2 },
				{ userId: 'u2', skill: 'tech', level: 3 }
			]
		});
		await system.mutation(api.agentSkills.replaceAll, { skills: [{ userId: 'u2', skill: 'tech', level: 4 }] });
		expect(await as(t, 'agent').query(api.agentSkills.list, {})).toEqual([{ userId: 'u2', skill: 'tech', level: 4 }]);
	});
});
