/** Add a skill to the catalog, so agents and queues can use it. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { skills } from '../db/schema/staff';
import { AppError } from '../errors';
import { recordAdminAudit, type AdminActor } from './audit';
import type { SkillCatalogEntry } from './list-agent-skills';

export async function addSkill(db: Db, actor: AdminActor, input: SkillCatalogEntry): Promise<SkillCatalogEntry> {
	return db.transaction(async (tx) => {
		const [taken] = await tx.select({ id: skills.id }).from(skills).where(eq(skills.id, input.id));
		if (taken) throw new AppError('CONFLICT', 'SKILL_TAKEN', `A skill with id "${input.id}" already exists.`);
		const [row] = await tx.insert(skills).values(input).returning({ id: skills.id, name: skills.name, description: skills.description });
		if (!row) throw new Error(`inserting skill ${input.id} returned no row`);
		await recordAdminAudit(tx, actor, { action: 'skill.create', entity: 'skill', entityId: row.id, before: null, after: row });
		return row;
	});
}
