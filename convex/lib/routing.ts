/**
 * Who may be offered a call: an available agent with every required skill whose softphone is
 * ready and still sending heartbeats, longest idle first. Shared by inbound routing, misses and
 * queue claims so the rule is written once.
 */
import type { Doc } from '../_generated/dataModel';
import type { MutationCtx, QueryCtx } from '../_generated/server';

/** A softphone silent for longer than this is treated as gone (browsers beat every ~15 s). */
export const HEARTBEAT_STALE_MS = 60_000;

/** Ready softphone and, when the agent has ever sent a heartbeat, a recent one. */
export function softphoneHealthy(agent: Doc<'agent_status'>, now: number): boolean {
	if (agent.softphone !== 'ready') return false;
	return agent.lastSeenAt === undefined || now - agent.lastSeenAt <= HEARTBEAT_STALE_MS;
}

export async function skillsOf(ctx: QueryCtx | MutationCtx, userId: string): Promise<Map<string, number>> {
	const rows = await ctx.db
		.query('agent_skills')
		.withIndex('by_userId', (q) => q.eq('userId', userId))
		.collect();
	return new Map(rows.map((r) => [r.skill, r.level]));
}

export function hasSkills(skills: Map<string, number>, required: readonly string[]): boolean {
	return required.every((s) => skills.has(s));
}

export async function findAgent(ctx: QueryCtx | MutationCtx, userId: string) {
	return ctx.db
		.query('agent_status')
		.withIndex('by_userId', (q) => q.eq('userId', userId))
		.unique();
}

/** May this agent take a call needing `required` right now? */
export async function canTake(ctx: QueryCtx | MutationCtx, agent: Doc<'agent_status'>, required: readonly string[], now: number) {
	return agent.status === 'available' && softphoneHealthy(agent, now) && hasSkills(await skillsOf(ctx, agent.userId), required);
}

/**
 * The agent to offer a call to, or null: available, healthy, with every required skill, not in
 * `exclude`; longest idle first (oldest `since`), then higher total skill level, then user id.
 */
export async function pickAgent(
	ctx: QueryCtx | MutationCtx,
	required: readonly string[],
	exclude: readonly string[],
	now: number
): Promise<Doc<'agent_status'> | null> {
	const skip = new Set(exclude);
	const available = await ctx.db
		.query('agent_status')
		.withIndex('by_status', (q) => q.eq('status', 'available'))
		.collect();
	let best: { agent: Doc<'agent_status'>; level: number } | null = null;
	for (const agent of available) {
		if (skip.has(agent.userId) || !softphoneHealthy(agent, now)) continue;
		const skills = await skillsOf(ctx, agent.userId);
		if (!hasSkills(skills, required)) continue;
		const level = required.reduce((sum, s) => sum + (skills.get(s) ?? 0), 0);
		if (
			!best ||
			agent.since < best.agent.since ||
			(agent.since === best.agent.since && (level > best.level || (level === best.level && agent.userId < best.agent.userId)))
		) {
			best = { agent, level };
		}
	}
	return best?.agent ?? null;
}
