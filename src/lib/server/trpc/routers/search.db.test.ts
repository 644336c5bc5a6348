/**
 * The search procedures as each role calls them: bad filters are refused with what to fix,
 * hostile query text answers a list, and another agent's call is not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../../crm/test-factories';
import { createTestDb, type TestDb } from '../../db/test-db';
import { insertTranscribedCall } from '../../search/test-search-data';
import type { Services } from '../../services';
import { createCallerFactory, type SessionUser } from '../init';
import { searchRouter } from './search';

let t: TestDb;
let agent: SessionUser;
let other: SessionUser;
let manager: SessionUser;
let callId: string;
const createCaller = createCallerFactory(searchRouter);
const as = (who: SessionUser) => createCaller({ services: { db: t.db } as unknown as Services, user: who });

beforeAll(async () => {
	t = await createTestDb();
	agent = await makeStaff(t.db, 'agent');
	other = await makeStaff(t.db, 'agent');
	manager = await makeStaff(t.db, 'manager');
	callId = await insertTranscribedCall(t.db, {
		agentId: agent.id,
		lines: [
			['agent', 'Good morning, you are through to support'],
			['customer', 'Hello, my parcel never arrived']
		]
	});
});
afterAll(() => t.close());

describe('search.query', () => {
	it('answers a list for hostile text and refuses a malformed filter saying which', async () => {
		for (const q of ['"\'&|!():*', '<script>alert(1)</script>', 'x'.repeat(10_000), "1; select pg_sleep(10) --"]) {
			expect(Array.isArray((await as(agent).query({ q })).items)).toBe(true);
		}
		await expect(as(agent).query({ q: 'parcel', from: 'yesterday' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('from must be an ISO date') });
	});

	it('finds a call for its agent and a manager, not for another agent', async () => {
		expect((await as(agent).query({ q: 'parcel' })).items.map((i) => i.id)).toEqual([callId]);
		expect((await as(manager).query({ q: 'parcel' })).items.map((i) => i.id)).toEqual([callId]);
		expect((await as(other).query({ q: 'parcel' })).items).toEqual([]);
	});
});
