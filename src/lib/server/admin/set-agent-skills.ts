/**
 * Replace one staff member's skills. The archive (the source hot state is rebuilt from) and
 * the audit row are written in one transaction; hot state is updated inside it, so when hot
 * state refuses, the archive change rolls back and both stay as they were.
 */
import { eq, inArray } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { agentSkills, skills } from '../db/schema/staff';
import { badRequest, notFound } from '../errors';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';
import { recordAdminAudit, type AdminActor } from './audit';
import type { SkillLevel } from './list-agent-skills';

export interface SetAgentSkillsInput {
	userId: string;
	skills: SkillLevel[];
}

export async function setAgentSkills(db: Db, hot: HotState, actor: AdminActor, input: SetAgentSkillsInput): Promise<SkillLevel[]> {
	const wanted = [...input.skills].sort((a, b) => a.skill.localeCompare(b.skill));
	const names = wanted.map((s) => s.skill);
	const duplicate = names.find((n, i) => names.indexOf(n) !== i);
	if (duplicate) throw badRequest('DUPLICATE_SKILL', `Skill "${duplicate}" is listed twice; keep one.`);

	return db.transaction(async (tx) => {
		const [target] = await tx.select({ id: user.id }).from(user).where(eq(user.id, input.userId)).for('update');
		if (!target) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		if (names.length > 0) {
			const known = new Set((await tx.select({ id: skills.id }).from(skills).where(inArray(skills.id, names))).map((s) => s.id));
			const unknown = names.filter((n) => !known.has(n));
			if (unknown.length > 0) throw badRequest('UNKNOWN_SKILL', `Unknown skill ${unknown.map((n) => `"${n}"`).join(', ')}: add it to the skill catalog first.`);
		}
		const before = await tx.select({ skill: agentSkills.skill, level: agentSkills.level }).from(agentSkills).where(eq(agentSkills.userId, target.id)).orderBy(agentSkills.skill);
		await tx.delete(agentSkills).where(eq(agentSkills.userId, target.id));
		if (wanted.length > 0) await tx.insert(agentSkills).values(wanted.map((s) => ({ userId: target.id, skill: s.skill, level: s.level })));
		await recordAdminAudit(tx, actor, { action: 'agent_skills.set', entity: 'agent_skills', entityId: target.id, before, after: wanted });
		// Server only (the audit row above is the record of who changed what).
		await hot.mutation(api.agentSkills.setForAgent, { userId: target.id, skills: wanted }, SYSTEM_IDENTITY);
		return wanted;
	});
}
