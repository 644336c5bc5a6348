import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupCustomerByPhone } from '../crm/lookup-customer-by-phone';
import { normalizePhone } from '../crm/normalize-phone';
import { createAuth, type Auth } from '../auth/auth';
import { user } from '../db/schema/auth';
import { customerPhones, customers } from '../db/schema/crm';
import { agentSkills, skills } from '../db/schema/staff';
import { createTestDb, type TestDb } from '../db/test-db';
import { parseConfig, type Config } from '../env';
import { setLogLevel } from '../log';
import { demoCustomer } from './generate-customers';
import { DEMO_CUSTOMER_COUNT, DEMO_PASSWORD, DEMO_SEED, DEMO_STAFF, seedDemo } from './seed-demo';

let t: TestDb;
let auth: Auth;
let config: Config;

beforeAll(async () => {
	setLogLevel('silent');
	t = await createTestDb();
	config = parseConfig({ AUTH_SECRET: 'test-secret-test-secret-test-secret-1234' });
	auth = createAuth(t.db, config);
	await seedDemo({ db: t.db, auth, config });
});
afterAll(() => t.close());

describe('seedDemo', () => {
	it('creates 5 agents, 2 managers, a supervisor and an admin', async () => {
		const staff = await t.db.select({ email: user.email, role: user.role }).from(user);
		const roles = staff.map((s) => s.role).sort();
		expect(roles).toEqual(['admin', 'agent', 'agent', 'agent', 'agent', 'agent', 'manager', 'manager', 'supervisor']);
		expect(staff.map((s) => s.email).sort()).toEqual(DEMO_STAFF.map((s) => s.email).sort());
	});

	it('gives every agent skills from the catalog', async () => {
		const catalog = (await t.db.select({ id: skills.id }).from(skills)).map((s) => s.id);
		expect(catalog).toEqual(expect.arrayContaining(['sales', 'support', 'billing', 'spanish']));
		const rows = await t.db
			.select({ email: user.email, skill: agentSkills.skill, level: agentSkills.level })
			.from(agentSkills)
			.innerJoin(user, eq(user.id, agentSkills.userId));
		for (const agent of DEMO_STAFF.filter((s) => s.role === 'agent')) {
			const mine = rows.filter((r) => r.email === agent.email);
			expect(mine.length).toBeGreaterThan(0);
			for (const r of mine) expect(r.level).toBeGreaterThanOrEqual(1);
		}
		expect(rows.some((r) => r.email === 'carol@switchboard.local' && r.skill === 'spanish' && r.level === 5)).toBe(true);
	});

	it('lets the demo users sign in with the documented password', async () => {
		const result = await auth.api.signInEmail({ body: { email: 'alice@switchboard.local', password: DEMO_PASSWORD } });
		expect(result.user.email).toBe('alice@switchboard.local');
	});

	it('adds 500 customers and leads with valid, unique E.164 numbers', async () => {
		const [c] = await t.db.select({ n: count() }).from(customers);
		expect(c?.n).toBe(DEMO_CUSTOMER_COUNT);
		const kinds = await t.db.select({ kind: customers.kind, n: count() }).from(customers).groupBy(customers.kind);
		expect(kinds.find((k) => k.kind === 'lead')?.n).toBeGreaterThan(50);
		const phones = await t.db.select({ e164: customerPhones.e164, customerId: customerPhones.customerId }).from(customerPhones);
		expect(phones.length).toBeGreaterThanOrEqual(DEMO_CUSTOMER_COUNT);
		expect(new Set(phones.map((p) => p.e164)).size).toBe(phones.length);
		for (const p of phones) expect(normalizePhone(p.e164).e164).toBe(p.e164);
		// Small data sets stay inside the ranges reserved for fiction.
		for (const p of phones) expect(p.e164).toMatch(/^\+1\d{3}55501\d\d$|^\+44(207946|113496|161496)0\d{3}$/);
		expect(new Set(phones.map((p) => p.customerId)).size).toBe(DEMO_CUSTOMER_COUNT);
	});

	it('is deterministic: the same seed gives the same people and numbers', async () => {
		const again = demoCustomer(DEMO_SEED, 0);
		const found = await lookupCustomerByPhone(t.db, { phone: again.phones[0]!.e164 });
		expect(found?.customer).toMatchObject({
			firstName: again.customer.firstName,
			lastName: again.customer.lastName,
			company: again.customer.company
		});
	});

	it('does nothing when staff already exist', async () => {
		await seedDemo({ db: t.db, auth, config });
		const [u] = await t.db.select({ n: count() }).from(user);
		const [c] = await t.db.select({ n: count() }).from(customers);
		expect([u?.n, c?.n]).toEqual([DEMO_STAFF.length, DEMO_CUSTOMER_COUNT]);
	});
});
