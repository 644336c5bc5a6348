/** The skill catalog routing matches on. Installed by the demo seeder; safe to run again. */
import type { Db } from '../db/client';
import { skills } from '../db/schema/staff';

export const DEFAULT_SKILLS = [
	{ id: 'sales', name: 'Sales', description: 'New business, upgrades and renewals.' },
	{ id: 'support', name: 'Support', description: 'Product questions and troubleshooting.' },
	{ id: 'billing', name: 'Billing', description: 'Invoices, payments and refunds.' },
	{ id: 'spanish', name: 'Spanish', description: 'Serves callers in Spanish.' },
	{ id: 'retention', name: 'Retention', description: 'Customers who want to cancel.' }
] as const;

export type DefaultSkill = (typeof DEFAULT_SKILLS)[number]['id'];

export async function ensureSkillCatalog(db: Db): Promise<void> {
	await db
		.insert(skills)
		.values(DEFAULT_SKILLS.map((s) => ({ ...s })))
		.onConflictDoNothing({ target: skills.id });
}
