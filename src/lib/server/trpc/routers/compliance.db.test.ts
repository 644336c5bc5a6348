import { TRPCError } from '@trpc/server';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../../auth/test-helpers';
import { gateOutbound } from '../../compliance/gate-outbound';
import { consentLedger } from '../../db/schema/compliance';
import { createTestDb, type TestDb } from '../../db/test-db';
import type { Services } from '../../services';
import { createCallerFactory, type SessionUser } from '../init';
import { complianceRouter } from './compliance';

let t: TestDb;
let agent: SessionUser;
let manager: SessionUser;
const createCaller = createCallerFactory(complianceRouter);

beforeAll(async () => {
	t = await createTestDb();
	agent = await makeStaff(t.db, 'agent');
	manager = await makeStaff(t.db, 'manager');
});
afterAll(() => t.close());

const as = (user: SessionUser | null) => createCaller({ services: { db: t.db } as unknown as Services, user });

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
	return error;
}
const ledgerRows = async () => (await t.db.select({ n: count() }).from(consentLedger))[0]?.n;

describe('compliance router', () => {
	it('lets a manager add and remove a number with a reason, and anyone read its state', async () => {
		const added = await as(manager).add({ phone: '(415) 555-0142', reason: 'Asked not to be contacted' });
		expect(added).toMatchObject({
			phone: '+14155550142',
			action: 'opt_out',
			source: 'agent',
			channel: 'all',
			userId: manager.id
		});
		expect(await as(agent).status({ phone: '415 555 0142', channel: 'voice' })).toMatchObject({
			state: 'opted_out',
			entry: { id: added.id }
		});
		const removed = await as(manager).remove({ phone: '+14155550142', channel: 'all', reason: 'Consent given in writing' });
		expect(removed.action).toBe('opt_in');
		expect((await as(agent).status({ phone: '+14155550142', channel: 'sms' })).state).toBe('opted_in');
	});

	it('refuses agents, missing reasons and bad numbers, writing nothing', async () => {
		const before = await ledgerRows();
		expect((await trpcError(as(agent).add({ phone: '+14155550143', reason: 'because' }))).code).toBe('FORBIDDEN');
		const noReason = await trpcError(as(manager).add({ phone: '+14155550143', reason: '' }));
		expect([noReason.code, noReason.message]).toEqual([
			'BAD_REQUEST',
			'Give a reason (at least 3 characters); it is kept in the audit trail.'
		]);
		const badPhone = await trpcError(as(manager).add({ phone: 'call me', reason: 'because' }));
		expect(badPhone.code).toBe('BAD_REQUEST');
		expect(await ledgerRows()).toBe(before);
		expect((await trpcError(as(agent).exportCsv({}))).code).toBe('FORBIDDEN');
		expect((await trpcError(as(agent).import({ csv: '+14155550143', reason: 'because' }))).code).toBe('FORBIDDEN');
		expect((await trpcError(as(agent).remove({ phone: '+14155550142', reason: 'because' }))).code).toBe('FORBIDDEN');
		expect((await trpcError(as(null).status({ phone: '+14155550143', channel: 'sms' }))).code).toBe('UNAUTHORIZED');
	});

	it('lists the trail and the gate decisions with filters, and exports CSV', async () => {
		await as(manager).add({ phone: '+14155550144', reason: '=cmd|calc' });
		await t.db.transaction((tx) => gateOutbound(tx, { to: '+14155550144', channel: 'sms', actor: agent }));
		const list = await as(manager).list({ phone: '+14155550144', from: '2020-01-01T00:00:00Z' });
		expect(list.items).toEqual([expect.objectContaining({ reason: '=cmd|calc', userName: manager.name })]);
		const attempts = await as(manager).attempts({ phone: '+14155550144', decision: 'refused' });
		expect(attempts.items).toEqual([expect.objectContaining({ code: 'DNC_BLOCKED', actorName: agent.name })]);
		const exported = await as(manager).exportCsv({ phone: '+14155550144' });
		expect(exported.filename).toMatch(/^do-not-contact-\d{4}-\d\d-\d\d\.csv$/);
		expect(exported.csv).toContain(`,'+14155550144,all,opt_out,agent,,,${manager.name},'=cmd|calc\r\n`);
		expect((await trpcError(as(manager).list({ from: 'yesterday' }))).code).toBe('BAD_REQUEST');
	});

	it("lets agents read the trail and a customer's numbers' state, and filter by who", async () => {
		await as(manager).add({ phone: '+14155550145', channel: 'voice', reason: 'No calls please' });
		const mine = await as(agent).list({ userId: manager.id, phone: '+14155550145' });
		expect(mine.items).toEqual([expect.objectContaining({ userName: manager.name, channel: 'voice' })]);
		expect((await as(agent).list({ userId: agent.id })).items).toEqual([]);
		const states = await as(agent).states({ phones: ['(415) 555-0145', '+14155550199'] });
		expect(states).toEqual([
			{ phone: '+14155550145', sms: { state: 'none', entry: null }, voice: { state: 'opted_out', entry: expect.objectContaining({ userName: manager.name }) } },
			{ phone: '+14155550199', sms: { state: 'none', entry: null }, voice: { state: 'none', entry: null } }
		]);
		expect((await as(agent).actors()).map((a) => a.id)).toEqual(expect.arrayContaining([agent.id, manager.id]));
		const conflict = await trpcError(as(manager).add({ phone: '+14155550145', channel: 'voice', reason: 'Again' }));
		expect([conflict.code, (conflict.cause as { code?: string }).code]).toEqual(['CONFLICT', 'ALREADY_LISTED']);
	});

	it('imports for managers, answering a bad file with the rows to fix', async () => {
		const report = await as(manager).import({ csv: 'phone\n+14155550160\n+14155550161', reason: 'Registry', dryRun: true });
		expect(report).toMatchObject({ rows: 2, toAdd: 2, errorCount: 0, added: 0 });
		const bad = await trpcError(as(manager).import({ csv: 'phone\n+14155550162\nnope', reason: 'Registry' }));
		expect(bad.code).toBe('BAD_REQUEST');
		expect(bad.message).toMatch(/^1 row needs fixing, so nothing was imported; line 3: 'nope' is not a phone number/);
		expect(await as(manager).import({ csv: 'phone\n+14155550160\n+14155550161', reason: 'Registry' })).toMatchObject({ added: 2 });
	});
});
