/**
 * Demo staff and customers for local mode, so a fresh machine has someone to sign in as and
 * something to search. Runs only on an archive with no staff at all; the caller decides
 * whether demo data is wanted (config.demoData).
 */
import { count } from 'drizzle-orm';
import type { Role } from '../../roles';
import type { Auth } from '../auth/auth';
import { createStaffUser } from '../auth/create-staff-user';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { customers } from '../db/schema/crm';
import { agentSkills } from '../db/schema/staff';
import type { Config } from '../env';
import { logger } from '../log';
import { generateCustomers } from './generate-customers';
import { ensureSkillCatalog, type DefaultSkill } from './skills';

/** Every demo account signs in with this password (README lists the accounts). */
export const DEMO_PASSWORD = 'switchboard-demo';
export const DEMO_CUSTOMER_COUNT = 500;
export const DEMO_SEED = 2024;

export interface DemoStaff {
	email: string;
	name: string;
	role: Role;
	skills: Partial<Record<DefaultSkill, number>>;
}

export const DEMO_STAFF: readonly DemoStaff[] = [
	{ email: 'alice@switchboard.local', name: 'Alice Moreno', role: 'agent', skills: { sales: 5, spanish: 4 } },
	{ email: 'bob@switchboard.local', name: 'Bob Okafor', role: 'agent', skills: { support: 4, billing: 3 } },
	{ email: 'carol@switchboard.local', name: 'Carol Díaz', role: 'agent', skills: { spanish: 5, support: 3, sales: 2 } },
	{ email: 'dave@switchboard.local', name: 'Dave Kowalski', role: 'agent', skills: { billing: 5, sales: 2 } },
	{ email: 'erin@switchboard.local', name: 'Erin Walsh', role: 'agent', skills: { support: 5, retention: 3, billing: 2 } },
	{ email: 'frank@switchboard.local', name: 'Frank Lin', role: 'manager', skills: { sales: 4 } },
	{ email: 'grace@switchboard.local', name: 'Grace Park', role: 'manager', skills: { support: 4, billing: 4 } },
	{ email: 'heidi@switchboard.local', name: 'Heidi Schmidt', role: 'supervisor', skills: {} },
	{ email: 'admin@switchboard.local', name: 'Sam Admin', role: 'admin', skills: {} }
];

export interface SeedDemoInput {
	db: Db;
	auth: Auth;
	config: Config;
}

export async function seedDemo({ db, auth }: SeedDemoInput): Promise<void> {
	const log = logger('seed');
	const [staff] = await db.select({ n: count() }).from(user);
	if ((staff?.n ?? 0) > 0) return;

	await ensureSkillCatalog(db);
	const agentIds: string[] = [];
	for (const person of DEMO_STAFF) {
		const created = await createStaffUser(auth, db, {
			email: person.email,
			password: DEMO_PASSWORD,
			name: person.name,
			role: person.role
		});
		const skillRows = Object.entries(person.skills).map(([skill, level]) => ({ userId: created.id, skill, level }));
		if (skillRows.length) await db.insert(agentSkills).values(skillRows);
		if (person.role === 'agent') agentIds.push(created.id);
	}

	const [existing] = await db.select({ n: count() }).from(customers);
	if ((existing?.n ?? 0) === 0) {
		await generateCustomers(db, DEMO_CUSTOMER_COUNT, { seed: DEMO_SEED, startIndex: 0, ownerIds: agentIds });
	}
	log.info(`demo data: ${DEMO_STAFF.length} staff (password ${DEMO_PASSWORD}), ${DEMO_CUSTOMER_COUNT} customers and leads`);
}
