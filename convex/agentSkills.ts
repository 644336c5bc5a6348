/**
 * Which skills each agent has and how well (1-5); inbound routing reads them. The archive's
 * agentSkills table is the source; admins edit through the app and start-up hydration copies
 * the archive here.
 */
import { v } from 'convex/values';
import type { MutationCtx } from './_generated/server';
import { agentQuery, systemMutation } from './lib/functions';
import { fail } from './lib/errors';
import { vAgentSkill } from './schema';

export const MIN_LEVEL = 1;
export const MAX_LEVEL = 5;
const MAX_SKILL = 40;
/** Rows one pruneSkills call reads. */
const PRUNE_PAGE = 1_000;

const vSkillLevel = v.object({ skill: v.string(), level: v.number() });

function normalize(entry: { skill: string; level: number }): { skill: string; level: number } {
	const skill = entry.skill.trim().toLowerCase();
	if (skill === '' || skill.length > MAX_SKILL)
		fail('BAD_REQUEST', 'INVALID_SKILL', `A skill name is 1 to ${MAX_SKILL} characters.`);
	if (!Number.isInteger(entry.level) || entry.level < MIN_LEVEL || entry.level > MAX_LEVEL) {
		fail('BAD_REQUEST', 'INVALID_SKILL_LEVEL', `Skill "${skill}" needs a whole level from ${MIN_LEVEL} to ${MAX_LEVEL}.`);
	}
	return { skill, level: entry.level };
}

async function replaceForUser(ctx: MutationCtx, userId: string, skills: { skill: string; level: number }[]) {
	const existing = await ctx.db
		.query('agent_skills')
		.withIndex('by_userId', (q) => q.eq('userId', userId))
		.collect();
	const wanted = new Map(skills.map((s) => [s.skill, s.level]));
	for (const row of existing) {
		const level = wanted.get(row.skill);
		if (level === undefined) await ctx.db.delete('agent_skills', row._id);
		else if (level !== row.level) await ctx.db.patch('agent_skills', row._id, { level });
		wanted.delete(row.skill);
	}
	for (const [skill, level] of wanted) await ctx.db.insert('agent_skills', { userId, skill, level });
}

/** Every agent's skills, or one agent's, ordered by agent then skill. */
export const list = agentQuery({
	args: { userId: v.optional(v.string()) },
	returns: v.array(vAgentSkill),
	handler: async (ctx, { userId }) => {
		const rows =
			userId === undefined
				? await ctx.db.query('agent_skills').collect()
				: await ctx.db
						.query('agent_skills')
						.withIndex('by_userId', (q) => q.eq('userId', userId))
						.collect();
		return rows
			.map(({ userId, skill, level }) => ({ userId, skill, level }))
			.sort((a, b) => a.userId.localeCompare(b.userId) || a.skill.localeCompare(b.skill));
	}
});

/**
 * Replace one agent's skills with exactly `skills`. Server only: admins edit skills through the
 * app (src/lib/server/admin/set-agent-skills.ts), which writes the archive and the admin audit in
 * the same transaction; a browser calling this directly would change routing with no audit row.
 */
export const setForAgent = systemMutation({
	args: { userId: v.string(), skills: v.array(vSkillLevel) },
	returns: v.number(),
	handler: async (ctx, { userId, skills }) => {
		if (userId.trim() === '') fail('BAD_REQUEST', 'INVALID_USER_ID', 'userId is required.');
		const normalized = skills.map(normalize);
		const names = new Set(normalized.map((s) => s.skill));
		if (names.size !== normalized.length) fail('BAD_REQUEST', 'DUPLICATE_SKILL', 'Each skill may appear once.');
		await replaceForUser(ctx, userId, normalized);
		return normalized.length;
	}
});

/** Hydration: make the table hold exactly `skills` for every agent (the archive's copy). */
export const replaceAll = systemMutation({
	args: { skills: v.array(vAgentSkill) },
	returns: v.number(),
	handler: async (ctx, { skills }) => {
		const byUser = new Map<string, { skill: string; level: number }[]>();
		for (const entry of skills) {
			const list = byUser.get(entry.userId) ?? [];
			list.push(normalize(entry));
			byUser.set(entry.userId, list);
		}
		for (const row of await ctx.db.query('agent_skills').collect()) {
			if (!byUser.has(row.userId)) await ctx.db.delete('agent_skills', row._id);
		}
		for (const [userId, list] of byUser) await replaceForUser(ctx, userId, list);
		return skills.length;
	}
});

/**
 * Hydration in batches: make the listed agents' skills exactly `skills` (an agent listed with
 * no skills ends with none). The server sends a few hundred agents a call, within Convex's
 * per-mutation read and write limits, then prunes agents no longer on the roster (pruneSkills).
 */
export const replaceForAgents = systemMutation({
	args: { userIds: v.array(v.string()), skills: v.array(vAgentSkill) },
	returns: v.number(),
	handler: async (ctx, { userIds, skills }) => {
		const byUser = new Map<string, { skill: string; level: number }[]>(userIds.map((id) => [id, []]));
		for (const entry of skills) {
			const list = byUser.get(entry.userId);
			if (!list) fail('BAD_REQUEST', 'UNLISTED_AGENT', `Skill for ${entry.userId}, who is not in userIds.`);
			list.push(normalize(entry));
		}
		for (const [userId, list] of byUser) await replaceForUser(ctx, userId, list);
		return skills.length;
	}
});

/** One page of hydration's cleanup: deletes skills of agents not in `keep`. Call again with the cursor until isDone. */
export const pruneSkills = systemMutation({
	args: { keep: v.array(v.string()), cursor: v.union(v.string(), v.null()) },
	returns: v.object({ removed: v.number(), continueCursor: v.string(), isDone: v.boolean() }),
	handler: async (ctx, { keep, cursor }) => {
		const kept = new Set(keep);
		const page = await ctx.db.query('agent_skills').paginate({ cursor, numItems: PRUNE_PAGE });
		let removed = 0;
		for (const row of page.page) {
			if (kept.has(row.userId)) continue;
			await ctx.db.delete('agent_skills', row._id);
			removed += 1;
		}
		return { removed, continueCursor: page.continueCursor, isDone: page.isDone };
	}
});
