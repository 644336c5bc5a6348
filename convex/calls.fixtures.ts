/**
 * Fixtures for the call-line, wrap-up and hydration suites: an available agent, a routed call,
 * an agent's status. The file name has two dots, so Convex's bundler (and the engine) skip it.
 */
import { api } from './_generated/api';
import { as, type TestConvex } from './test.setup';

export const sys = (t: TestConvex) => as(t, 'system', 'switchboard');

/** An agent who is available with a ready softphone and the given skills; `idleSince` orders them. */
export async function agent(t: TestConvex, userId: string, skills: string[], idleSince: number, softphone: 'ready' | 'error' = 'ready') {
	const me = as(t, 'agent', userId, userId);
	await me.mutation(api.agentStatus.setMine, { status: 'available' });
	await me.mutation(api.agentStatus.heartbeat, { softphone });
	await t.run(async (ctx) => {
		const row = await ctx.db
			.query('agent_status')
			.withIndex('by_userId', (q) => q.eq('userId', userId))
			.unique();
		if (row) await ctx.db.patch('agent_status', row._id, { since: idleSince });
		for (const skill of skills) await ctx.db.insert('agent_skills', { userId, skill, level: 3 });
	});
	return me;
}

export const call = (callSid: string, requiredSkills = ['sales']) => ({
	callSid,
	from: '+12125550123',
	to: '+14155550100',
	customerId: 'cust-1',
	customerName: 'Ada Lovelace',
	queueName: 'sales',
	requiredSkills
});

export const statusOf = (t: TestConvex, userId: string) =>
	t.run(async (ctx) =>
		(
			await ctx.db
				.query('agent_status')
				.withIndex('by_userId', (q) => q.eq('userId', userId))
				.unique()
		)?.status
	);

/** The call's row in incoming_call_queue, as the wallboard's board shows it (undefined once accepted or gone). */
export async function ringing(t: TestConvex, callSid: string) {
	return (await as(t, 'supervisor', 'viewer').query(api.callBoard.board, {})).incoming.find((c) => c.callSid === callSid);
}
