/**
 * The search procedures as each role calls them: bad filters are refused with what to fix,
 * hostile query text answers a list, and a call's transcript is read only by who may hear it.
 */
import { TRPCError } from '@trpc/server';
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

describe('search.transcript', () => {
	it('gives the call’s agent and a manager the speaker-labelled lines with their times', async () => {
		for (const who of [agent, manager]) {
			const view = await as(who).transcript({ callId });
			expect(view.status).toBe('done');
			expect(view.lines.map((l) => [l.speaker, l.start, l.text])).toEqual([
				['agent', 0, 'Good morning, you are through to support'],
				['customer', 5, 'Hello, my parcel never arrived']
			]);
		}
	});

	it('refuses another agent with NOT_YOUR_CALL', async () => {
		const error = await as(other)
			.transcript({ callId })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TRPCError);
		expect(error).toMatchObject({ code: 'FORBIDDEN', cause: { code: 'NOT_YOUR_CALL' } });
	});
});
