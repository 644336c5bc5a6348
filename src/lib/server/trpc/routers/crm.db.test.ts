import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPCError } from '@trpc/server';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeStaff } from '../../crm/test-factories';
import { customerPhones, customers } from '../../db/schema/crm';
import { createTestDb, type TestDb } from '../../db/test-db';
import type { Services } from '../../services';
import { createCallerFactory, type SessionUser } from '../init';
import { crmRouter } from './crm';

let t: TestDb;
let agent: SessionUser;
const createCaller = createCallerFactory(crmRouter);

beforeAll(async () => {
	t = await createTestDb();
	agent = await makeStaff(t.db, 'agent');
});
afterAll(() => t.close());

/** A context with only what CRM procedures touch. */
const ctx = (user: SessionUser | null) => ({ services: { db: t.db } as unknown as Services, user });
const asAgent = () => createCaller(ctx(agent));

async function rowCounts() {
	const [c] = await t.db.select({ n: count() }).from(customers);
	const [p] = await t.db.select({ n: count() }).from(customerPhones);
	return { customers: c?.n, phones: p?.n };
}

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
	return error;
}

describe('crm router as an agent', () => {
	it('creates, reads, searches, looks up and edits a customer', async () => {
		const api = asAgent();
		const created = await api.create({
			firstName: 'Katherine',
			lastName: 'Johnson',
			company: 'Langley',
			phones: [{ number: '(757) 555-0140', label: 'work' }]
		});
		expect(created).toMatchObject({
			displayName: 'Katherine Johnson',
			source: 'manual',
			phones: [{ e164: '+17575550140', label: 'work' }]
		});

		expect(await api.get({ id: created.id })).toEqual(created);
		expect((await api.search({ query: 'johns' })).items.map((c) => c.id)).toEqual([created.id]);
		expect((await api.search({ query: '757 555' })).items[0]?.matchedPhone?.display).toBe('(757) 555-0140');

		const hit = await api.lookupByPhone({ phone: '757.555.0140' });
		expect(hit).toMatchObject({ customer: { id: created.id }, phone: { e164: '+17575550140' }, matchCount: 1 });
		expect(await api.lookupByPhone({ phone: '+1 757 555 0199' })).toBeNull();

		const updated = await api.update({ id: created.id, notes: 'Calculated trajectories.', expectedUpdatedAt: created.updatedAt });
		expect(updated.notes).toBe('Calculated trajectories.');
		expect((await api.timeline({ customerId: created.id })).items).toEqual([]);
	});

	it('lets every staff role in', async () => {
		for (const role of ['manager', 'supervisor', 'admin'] as const) {
			const staff = await makeStaff(t.db, role);
			await expect(createCaller(ctx(staff)).search({ query: '' })).resolves.toMatchObject({ mode: 'recent' });
		}
	});
});

describe('crm router refusals', () => {
	it('refuses callers who are not signed in, and writes nothing', async () => {
		const api = createCaller(ctx(null));
		const before = await rowCounts();
		for (const call of [
			() => api.create({ lastName: 'Intruder', phones: [{ number: '415 555 0141' }] }),
			() => api.search({ query: 'a' }),
			() => api.lookupByPhone({ phone: '415 555 0141' }),
			() => api.get({ id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' }),
			() => api.update({ id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', notes: 'x' })
		]) {
			const error = await trpcError(call());
			expect(error.code).toBe('UNAUTHORIZED');
		}
		expect(await rowCounts()).toEqual(before);
	});

	it('refuses an over-long name with a readable BAD_REQUEST and writes nothing', async () => {
		const before = await rowCounts();
		const error = await trpcError(asAgent().create({ firstName: 'A'.repeat(101), lastName: 'Long' }));
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.message).toBe('First name is too long (101 characters); the limit is 100.');
		expect(await rowCounts()).toEqual(before);
	});

	it('refuses a malformed phone number with INVALID_PHONE and writes nothing', async () => {
		const before = await rowCounts();
		const error = await trpcError(
			asAgent().create({ firstName: 'Bad', lastName: 'Number', phones: [{ number: '415 555 0142' }, { number: '555-01' }] })
		);
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.message).toMatch(/^Phone 2: '555-01' is too short for a phone number; enter it with area code/);
		expect(error.cause).toMatchObject({ code: 'INVALID_PHONE' });
		expect(await rowCounts()).toEqual(before);

		const lookup = await trpcError(asAgent().lookupByPhone({ phone: 'not a phone' }));
		expect(lookup.code).toBe('BAD_REQUEST');
		expect(lookup.message).toMatch(/'not a phone' is not a phone number/);
	});

	it('says NOT_FOUND for an unknown customer and BAD_REQUEST for a malformed id', async () => {
		const missing = await trpcError(asAgent().get({ id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' }));
		expect(missing.code).toBe('NOT_FOUND');
		expect(missing.message).toMatch(/No customer has the id 3f2504e0/);
		expect(missing.cause).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });

		const before = await rowCounts();
		const updateMissing = await trpcError(asAgent().update({ id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', notes: 'x' }));
		expect(updateMissing.code).toBe('NOT_FOUND');
		expect(await rowCounts()).toEqual(before);

		const malformed = await trpcError(asAgent().get({ id: '42' }));
		expect(malformed.code).toBe('BAD_REQUEST');
		expect(malformed.message).toBe("'42' is not a customer id.");
	});

	it('refuses a stale edit with CONFLICT and keeps the other person’s change', async () => {
		const c = await makeCustomer(t.db);
		await asAgent().update({ id: c.id, notes: 'first' });
		const error = await trpcError(asAgent().update({ id: c.id, notes: 'second', expectedUpdatedAt: c.updatedAt }));
		expect(error.code).toBe('CONFLICT');
		expect((await asAgent().get({ id: c.id })).notes).toBe('first');
	});

	it('sends the browser a readable message, the app code and field errors over HTTP', async () => {
		const request = new Request('http://localhost/api/trpc/create', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ lastName: 'L'.repeat(120) })
		});
		const response = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: request,
			router: crmRouter,
			createContext: () => ctx(agent)
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as {
			error: { message: string; data: { code: string; fieldErrors: Record<string, string[]> } };
		};
		expect(body.error.message).toBe('Last name is too long (120 characters); the limit is 100.');
		expect(body.error.data.code).toBe('BAD_REQUEST');
		expect(body.error.data.fieldErrors.lastName).toEqual([body.error.message]);

		const phone = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request('http://localhost/api/trpc/lookupByPhone?input=' + encodeURIComponent(JSON.stringify({ phone: '12' }))),
			router: crmRouter,
			createContext: () => ctx(agent)
		});
		const phoneBody = (await phone.json()) as { error: { message: string; data: { appCode: string } } };
		expect(phone.status).toBe(400);
		expect(phoneBody.error.data.appCode).toBe('INVALID_PHONE');
	});
});
