/**
 * Which queues' callback tasks a staff member may see and take: agents those whose required
 * skills they all have (from the archive's agent_skills, which routing mirrors); managers and
 * above every queue.
 */
import { eq } from 'drizzle-orm';
import { roleAllows, type Role } from '$lib/roles';
import type { Db, Tx } from '../db/client';
import { agentSkills } from '../db/schema/staff';
import { voiceQueues } from '../db/schema/calls';

export interface Staff {
	id: string;
	role: Role;
}

export async function eligibleQueues(db: Db | Tx, staff: Staff): Promise<string[]> {
	const queues = await db.select({ name: voiceQueues.name, requiredSkills: voiceQueues.requiredSkills }).from(voiceQueues);
	const names = [...new Set(queues.map((q) => q.name))];
	if (roleAllows('manager', staff.role)) return names.sort();
	const mine = new Set((await db.select({ skill: agentSkills.skill }).from(agentSkills).where(eq(agentSkills.userId, staff.id))).map((s) => s.skill));
	return [...new Set(queues.filter((q) => q.requiredSkills.every((s) => mine.has(s))).map((q) => q.name))].sort();
}
