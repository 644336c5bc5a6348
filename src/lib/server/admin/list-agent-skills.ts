/** The skills page: every active staff member with their skills, and the skill catalog to choose from. */
import { asc, eq } from 'drizzle-orm';
import { isRole, type Role } from '../../roles';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { agentSkills, skills } from '../db/schema/staff';

export interface SkillLevel {
	skill: string;
	level: number;
}

export interface AgentWithSkills {
	userId: string;
	name: string;
	email: string;
	role: Role;
	skills: SkillLevel[];
}

export interface SkillCatalogEntry {
	id: string;
	name: string;
	description: string;
}

export async function listAgentSkills(db: Db): Promise<AgentWithSkills[]> {
	const staff = await db
		.select({ userId: user.id, name: user.name, email: user.email, role: user.role })
		.from(user)
		.where(eq(user.banned, false))
		.orderBy(asc(user.name), asc(user.email));
	const rows = await db.select({ userId: agentSkills.userId, skill: agentSkills.skill, level: agentSkills.level }).from(agentSkills).orderBy(asc(agentSkills.skill));
	const byUser = new Map<string, SkillLevel[]>();
	for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), { skill: r.skill, level: r.level }]);
	return staff.flatMap((s) =>
		isRole(s.role) ? [{ ...s, role: s.role, skills: byUser.get(s.userId) ?? [] }] : []
	);
}

export async function listSkillCatalog(db: Db): Promise<SkillCatalogEntry[]> {
	return db.select({ id: skills.id, name: skills.name, description: skills.description }).from(skills).orderBy(asc(skills.name));
}
