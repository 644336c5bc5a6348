/**
 * The plan PostgreSQL keeps for the incoming-call statement (record-incoming-call.ts). The
 * statement is prepared once per connection and its plan made once, so it is checked as the
 * generic plan, in an archive of a few thousand customers: the caller's record must come
 * through the phone index, not from reading every phone and every customer per statement.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../db/test-db';
import { explain } from '../crm/test-query-plans';
import { incomingCallsStatement, type IncomingInput } from './record-incoming-call';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
	await t.db.execute(sql`
		with made as (
			insert into customers (kind, first_name, last_name) select 'customer', 'Plan', 'Customer ' || g from generate_series(1, 3000) g
			returning id, last_name
		)
		insert into customer_phones (customer_id, e164, is_primary) select id, '+1212' || lpad(substr(last_name, 10), 7, '0'), true from made
	`);
	await t.db.execute(sql`analyze customers, customer_phones`);
}, 60_000);
afterAll(() => t.close());

const row = (callSid: string, from: string): IncomingInput => ({
	dedupeKey: `voice.incoming:${callSid}`,
	callSid,
	fromRaw: from,
	toRaw: '+14155550100',
	fromE164: from,
	toE164: '+14155550100',
	queue: 'sales',
	callerName: null,
	at: new Date().toISOString(),
	voicemailAt: null,
	closedEvent: null
});

/** EXPLAIN of the statement's generic plan (what a prepared statement runs after its fifth use). */
async function genericPlan(rows: IncomingInput[]): Promise<string> {
	const { sql: text } = new PgDialect().sqlToQuery(incomingCallsStatement(rows));
	return t.db.transaction(async (tx) => {
		await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
		await tx.execute(sql.raw(`prepare incoming_plan_check as ${text}`));
		try {
			return await explain(tx, sql.raw(`execute incoming_plan_check('[]', now())`));
		} finally {
			await tx.execute(sql`deallocate incoming_plan_check`);
		}
	});
}

describe('the incoming-call statement', () => {
	it('finds callers through the phone index, without reading every phone or customer', async () => {
		const plan = await genericPlan([row('CA00000000000000000000000000000001', '+12120000042')]);
		expect(plan).toContain('customer_phones_e164_idx');
		expect(plan).not.toMatch(/Seq Scan on customer_phones\b/);
		expect(plan).not.toMatch(/Seq Scan on customers\b/);
	});
});
