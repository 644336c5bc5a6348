import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '$lib/roles';
import { callbackTasks } from '../db/schema/callbacks';
import { voiceQueues } from '../db/schema/calls';
import { agentSkills, skills } from '../db/schema/staff';
import { createTestDb, type TestDb } from '../db/test-db';
import { makeCustomer, makeStaff } from '../crm/test-factories';
import { searchArchive } from './search-archive';
import { QUERY_CHARS, ZSearchRequest, type SearchHit, type TSearchRequest } from './search-request';
import { insertText, insertTranscribedCall } from './test-search-data';

let t: TestDb;
const staff: Record<string, { id: string; role: Role }> = {};
const ids: Record<string, string> = {};
const customer: Record<string, string> = {};

const DAY = 86_400_000;
const now = Date.now();

beforeAll(async () => {
	t = await createTestDb();
	for (const role of ['agent', 'manager', 'supervisor', 'admin'] as const) staff[role] = await makeStaff(t.db, role);
	staff.other = await makeStaff(t.db, 'agent');
	staff.billingAgent = await makeStaff(t.db, 'agent');
	customer.ada = (await makeCustomer(t.db, { firstName: 'Ada', lastName: 'Lovelace' })).id;
	customer.bob = (await makeCustomer(t.db, { firstName: 'Bob', lastName: 'Stone' })).id;
	await t.db.insert(skills).values({ id: 'billing', name: 'Billing' }).onConflictDoNothing();
	await t.db.insert(agentSkills).values({ userId: staff.billingAgent.id, skill: 'billing' });
	await t.db.insert(voiceQueues).values([
		{ number: '+14155550100', name: 'sales' },
		{ number: '+14155550102', name: 'billing', requiredSkills: ['billing'] }
	]);

	ids.refund = await insertTranscribedCall(t.db, {
		agentId: staff.agent!.id,
		customerId: customer.ada,
		queue: 'sales',
		at: new Date(now - 2 * DAY),
		phone: '+12125550111',
		lines: [
			['agent', 'Thank you for calling, how can I help?'],
			['customer', 'My blender arrived broken and I want a full refund please'],
			['agent', 'I am sorry to hear that, I will start the refund now'],
			['customer', 'Thanks, that is all']
		]
	});
	ids.cancel = await insertTranscribedCall(t.db, {
		agentId: staff.other.id,
		customerId: customer.bob,
		queue: 'billing',
		direction: 'outbound',
		phone: '+13035550122',
		at: new Date(now - 40 * DAY),
		lines: [
			['agent', 'Calling about your subscription renewal'],
			['customer', 'I would like to cancel my subscription and get a refund']
		]
	});
	ids.voicemail = await insertTranscribedCall(t.db, {
		kind: 'voicemail',
		customerId: customer.bob,
		queue: 'billing',
		at: new Date(now - 1 * DAY),
		lines: [['customer', 'Hi, this is Bob, please call me back about my invoice']]
	});
	ids.split = await insertTranscribedCall(t.db, {
		agentId: staff.agent!.id,
		queue: 'sales',
		at: new Date(now - 3 * DAY),
		lines: [
			['customer', 'The order number is purple'],
			['customer', 'elephant, can you check it']
		]
	});
	const text = await insertText(t.db, { body: 'Is my refund on its way? <script>alert("x")</script>', customerId: customer.ada, at: new Date(now - DAY) });
	ids.text = text.messageId;
	ids.thread = text.threadId;
	ids.reply = (
		await insertText(t.db, { body: 'Your invoice was paid, thank you', direction: 'outbound', authorId: staff.other.id, customerId: customer.bob, ourPhone: '+14155550102' })
	).messageId;
});
afterAll(() => t.close());

const search = (request: TSearchRequest, who: string = 'manager') => searchArchive(t.db, staff[who]!, ZSearchRequest.parse(request));
const found = async (request: TSearchRequest, who?: string) => (await search(request, who)).items.map((i) => i.id).sort();
const marked = (hit: SearchHit) => hit.lines.flatMap((l) => l.parts.filter((p) => p.mark).map((p) => p.text.toLowerCase()));
const sorted = (...keys: string[]) => keys.map((k) => ids[k]).sort();

describe('searchArchive: finding things', () => {
	it('finds a phrase in a call transcript, highlighted, with the matching line and its second', async () => {
		const { items } = await search({ q: '"full refund"' });
		expect(items.map((i) => i.id)).toEqual([ids.refund]);
		const hit = items[0]!;
		// The caller's number, for the Call button beside the hit.
		expect(hit).toMatchObject({ channel: 'call', direction: 'inbound', queue: 'sales', customer: { id: customer.ada, name: 'Ada Lovelace' }, phone: '+12125550111' });
		expect(hit.agent?.id).toBe(staff.agent!.id);
		expect(hit.lines).toHaveLength(1);
		expect(hit.lines[0]).toMatchObject({ start: 5, speaker: 'customer' });
		expect(marked(hit)).toEqual(['full', 'refund']);
	});

	it('stems words and finds calls, voicemails and texts together, best first', async () => {
		expect(await found({ q: 'refunds' })).toEqual(sorted('refund', 'cancel', 'text'));
		const { items } = await search({ q: 'refund', channel: 'call' });
		// The call with two matching lines comes first.
		expect(items.map((i) => i.id)).toEqual([ids.refund, ids.cancel]);
		expect(items.find((i) => i.id === ids.refund)?.lines.map((l) => l.start)).toEqual([5, 10]);
		// An outbound call's customer number is the one dialled; a call without one has none.
		expect(items.find((i) => i.id === ids.cancel)?.phone).toBe('+13035550122');
		expect((await search({ q: '"purple elephant"' })).items[0]?.phone).toBeNull();
	});

	it('takes websearch syntax: OR and minus', async () => {
		expect(await found({ q: 'invoice or blender' })).toEqual(sorted('refund', 'voicemail', 'reply'));
		expect(await found({ q: 'refund -subscription' })).toEqual(sorted('refund', 'text'));
	});

	it('a phrase across two lines falls back to a snippet of the whole transcript', async () => {
		const { items } = await search({ q: '"purple elephant"' });
		expect(items.map((i) => i.id)).toEqual([ids.split]);
		expect(items[0]?.lines[0]?.start).toBeNull();
		expect(marked(items[0]!)).toEqual(['purple', 'elephant']);
	});

	it('a word whose stem is not in the line as written ("dying": "die") still finds the call, with a whole-text snippet', async () => {
		const id = await insertTranscribedCall(t.db, { at: new Date(now - 5 * DAY), lines: [['customer', 'The kettle is dying slowly']] });
		const { items } = await search({ q: 'dying' });
		expect(items.map((i) => i.id)).toEqual([id]);
		expect(items[0]?.lines).toHaveLength(1);
		expect(items[0]?.lines[0]?.start).toBeNull();
		expect(marked(items[0]!)).toEqual(['dying']);
	});

	it('keeps markup in a text as text, with the thread to open', async () => {
		const { items } = await search({ q: 'way', channel: 'sms' });
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ id: ids.text, threadId: ids.thread, channel: 'sms', phone: expect.stringMatching(/^\+1212555\d{4}$/) });
		expect(items[0]!.lines[0]!.parts.map((p) => p.text).join('')).toContain('<script>alert("x")</script>');
	});
});

describe('searchArchive: filters', () => {
	it('filters by agent, queue, customer, direction and channel', async () => {
		expect(await found({ q: 'refund or invoice', agentId: staff.other!.id })).toEqual(sorted('cancel', 'reply'));
		expect(await found({ q: 'refund or invoice', queue: 'billing' })).toEqual(sorted('cancel', 'voicemail', 'reply'));
		expect(await found({ q: 'refund or invoice', customerId: customer.bob })).toEqual(sorted('cancel', 'voicemail', 'reply'));
		expect(await found({ q: 'refund or invoice', direction: 'outbound' })).toEqual(sorted('cancel', 'reply'));
		expect(await found({ q: 'refund or invoice', channel: 'voicemail' })).toEqual(sorted('voicemail'));
		expect(await found({ q: 'refund or invoice', channel: 'call' })).toEqual(sorted('refund', 'cancel'));
		expect(await found({ q: 'refund or invoice', channel: 'sms' })).toEqual(sorted('text', 'reply'));
	});

	it('filters by date range: from inclusive, to exclusive', async () => {
		const from = new Date(now - 10 * DAY).toISOString();
		const to = new Date(now - 1.5 * DAY).toISOString();
		expect(await found({ q: 'refund or invoice', from, to })).toEqual(sorted('refund'));
		expect(await found({ q: 'refund', to: new Date(now - 30 * DAY).toISOString() })).toEqual(sorted('cancel'));
	});

	it('finds matches in every date window, newest first, future and years-old ones included', async () => {
		const ages = [-1, 2, 20, 200, 1000];
		const made = new Map<number, string>();
		for (const age of ages) {
			made.set(age, await insertTranscribedCall(t.db, { agentId: staff.agent!.id, at: new Date(now - age * DAY), lines: [['customer', `A zeppelin ${age} days ago`]] }));
		}
		const idsOf = (...list: number[]) => list.map((age) => made.get(age)).sort();
		const answer = await search({ q: 'zeppelin' });
		expect(answer.items.map((i) => i.id).sort()).toEqual(idsOf(...ages));
		expect(answer.capped).toBe(false);
		expect(await found({ q: 'zeppelin', from: new Date(now - 100 * DAY).toISOString() })).toEqual(idsOf(-1, 2, 20));
		expect(await found({ q: 'zeppelin', to: new Date(now - 10 * DAY).toISOString() })).toEqual(idsOf(20, 200, 1000));
		expect(await found({ q: 'zeppelin', from: new Date(now - 500 * DAY).toISOString(), to: new Date(now - 10 * DAY).toISOString() })).toEqual(idsOf(20, 200));
		// The same through the GIN index's date windows: a walk of one transcript leaves the rest to them.
		const walked = async (request: TSearchRequest, who = 'manager') =>
			(await searchArchive(t.db, staff[who]!, ZSearchRequest.parse(request), { walk: 1 })).items.map((i) => i.id).sort();
		expect(await walked({ q: 'zeppelin' })).toEqual(idsOf(...ages));
		expect(await walked({ q: 'zeppelin' }, 'agent')).toEqual(idsOf(...ages));
		expect(await walked({ q: 'zeppelin', from: new Date(now - 100 * DAY).toISOString() })).toEqual(idsOf(-1, 2, 20));
		expect(await walked({ q: 'zeppelin', to: new Date(now - 10 * DAY).toISOString() })).toEqual(idsOf(20, 200, 1000));
		expect(await walked({ q: 'zeppelin', from: new Date(now - 500 * DAY).toISOString(), to: new Date(now - 10 * DAY).toISOString() })).toEqual(idsOf(20, 200));
		expect(await walked({ q: 'refund or invoice', queue: 'billing' })).toEqual(sorted('cancel', 'voicemail', 'reply'));
	});

	it('refuses a date range that ends before it starts, saying what to fix', () => {
		const parsed = ZSearchRequest.safeParse({ q: 'x', from: new Date(now).toISOString(), to: new Date(now - DAY).toISOString() });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0]?.message).toMatch(/pick a "to" date after/);
	});
});

describe('searchArchive: who sees what', () => {
	const q = { q: 'refund or invoice' };

	it.each(['manager', 'supervisor', 'admin'])('a %s finds every call and text', async (who) => {
		expect(await found(q, who)).toEqual(sorted('refund', 'cancel', 'voicemail', 'text', 'reply'));
	});

	it('an agent finds their own calls and every text, not other agents’ calls or voicemails', async () => {
		expect(await found(q, 'agent')).toEqual(sorted('refund', 'text', 'reply'));
		expect(await found({ ...q, agentId: staff.other!.id }, 'agent')).toEqual(sorted('reply'));
	});

	it('an agent finds a voicemail whose callback task is open in a queue they may take, or that they hold', async () => {
		await t.db.insert(callbackTasks).values({ callId: ids.voicemail!, queue: 'billing', reason: 'voicemail', callerNumber: '+12125550100' });
		expect(await found(q, 'billingAgent')).toEqual(sorted('voicemail', 'text', 'reply'));
		expect(await found(q, 'agent')).toEqual(sorted('refund', 'text', 'reply'));
		await t.db.update(callbackTasks).set({ status: 'claimed', claimedBy: staff.agent!.id }).where(eq(callbackTasks.callId, ids.voicemail!));
		expect(await found(q, 'agent')).toEqual(sorted('refund', 'voicemail', 'text', 'reply'));
		expect(await found(q, 'billingAgent')).toEqual(sorted('text', 'reply'));
		await t.db.delete(callbackTasks).where(eq(callbackTasks.callId, ids.voicemail!));
	});
});

describe('searchArchive: hostile input answers, never fails', () => {
	const hostile = [
		'"',
		'"unclosed phrase',
		'&|!():*',
		"'; drop table call_transcripts; --",
		"refund' or 1=1 --",
		'<script>alert(1)</script>',
		'🙂😀 refund 🙂',
		'\u0000refund\u0000',
		'\uE000refund\uE001',
		'-',
		'or',
		'the a an',
		'!!refund',
		'refund:*',
		'\ud800',
		'x'.repeat(10_000),
		'refund '.repeat(2000)
	];

	it.each(hostile.map((q) => [q.length > 40 ? `${q.slice(0, 20)}… (${q.length} chars)` : JSON.stringify(q), q]))('%s', async (_label, q) => {
		const result = await search({ q });
		expect(Array.isArray(result.items)).toBe(true);
		for (const item of result.items) for (const line of item.lines) for (const part of line.parts) expect(part.text).not.toMatch(/[\uE000\uE001]/);
	});

	it('searches only the first characters of a long query and says so', async () => {
		const result = await search({ q: `refund ${'x'.repeat(QUERY_CHARS * 10)}` });
		expect(result.truncated).toBe(true);
		expect((await search({ q: 'refund' })).truncated).toBe(false);
		expect((await search({ q: '\u0000refund\u0000' })).items.length).toBeGreaterThan(0);
	});

	it('answers an empty list for empty and stop-word-only queries', async () => {
		expect((await search({ q: '   ' })).items).toEqual([]);
		expect((await search({ q: 'the and of' })).items).toEqual([]);
	});
});
