import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalBroadcast } from '../../adapters/broadcast/local';
import type { GrammarSuggestion, LanguageAiPort } from '../../adapters/language-ai';
import { makeStaff } from '../../auth/test-helpers';
import { recordConsent } from '../../compliance/record-consent';
import { makeCustomer } from '../../crm/test-factories';
import { outboundAttempts } from '../../db/schema/compliance';
import { smsMessages, smsThreads } from '../../db/schema/sms';
import { createTestDb, type TestDb } from '../../db/test-db';
import { createLocalHotState, type HotState } from '../../live/hot';
import type { Services } from '../../services';
import { watchInbox, type InboxChange } from '../../sms/inbox-events';
import { receiveInboundSms } from '../../sms/receive-inbound-sms';
import type { Jobs } from '../../jobs/jobs';
import { createTestJobs } from '../../jobs/test-jobs';
import { dispatchAll, localTelephony, messageSid, OUR_NUMBER, PUBLIC_BASE_URL } from '../../sms/test-helpers';
import { createCallerFactory, type SessionUser } from '../init';
import { seedVoiceQueues } from '../../calls/seed-voice-queues';
import { DEFAULT_RULE_SET } from '../../outbound/rule-set';
import { smsRouter } from './sms';

let t: TestDb;
let hot: HotState;
let jobs: Jobs;
const { carrier, telephony } = localTelephony();
let ann: SessionUser;
let bob: SessionUser;
let manager: SessionUser;
const createCaller = createCallerFactory(smsRouter);
const broadcast = new LocalBroadcast();
const seen: { viewer: string; change: InboxChange }[] = [];
/** The grammar checker the router sees; a test may swap it for one that fails. */
let languageAi: Pick<LanguageAiPort, 'checkGrammar'> = {
	checkGrammar: (text) =>
		Promise.resolve(
			[...text.matchAll(/\bteh\b/g)].map((m): GrammarSuggestion => ({ start: m.index, end: m.index + 3, message: 'Did you mean "the"?', replacements: ['the', 'tea', 'ten', 'tech'] }))
		)
};

beforeAll(async () => {
	[t, hot] = await Promise.all([createTestDb(), createLocalHotState()]);
	jobs = await createTestJobs(t, { adapters: { telephony } as never, hot }, { work: false });
	ann = await makeStaff(t.db, 'agent');
	bob = await makeStaff(t.db, 'agent');
	manager = await makeStaff(t.db, 'manager');
	for (const viewer of [ann, bob]) await watchInbox(broadcast, viewer.id, (change) => seen.push({ viewer: viewer.id, change }));
}, 60_000);
afterAll(async () => {
	await jobs.stop();
	await hot.close();
	await t.close();
});

const services = () =>
	({
		db: t.db,
		hot,
		jobs,
		adapters: { telephony, broadcast, languageAi },
		// The outbound gate's clock: 15:00 in New York.
		config: { publicBaseUrl: PUBLIC_BASE_URL, outbound: { rules: DEFAULT_RULE_SET, clockStart: new Date('2026-12-07T20:00:00Z') } }
	}) as unknown as Services;
/** Resolves once `viewer`'s inbox has been told of a change matching `match`. */
function noticed(viewer: SessionUser, match: Partial<InboxChange>): Promise<void> {
	const hit = (s: (typeof seen)[number]) =>
		s.viewer === viewer.id && Object.entries(match).every(([k, v]) => s.change[k as keyof InboxChange] === v);
	return new Promise((resolve) => {
		const poll = () => (seen.some(hit) ? resolve() : setImmediate(poll));
		poll();
	});
}
const as = (user: SessionUser | null) => createCaller({ services: services(), user });
const identity = (u: SessionUser) => ({ subject: u.id, role: u.role, name: u.name });

let n = 0;
const freshPhone = () => `+1707555${String(1000 + ++n).padStart(4, '0')}`;
/** Strictly increasing times, so messages written back to back never tie on created_at. */
let last = 0;
const tick = () => new Date((last = Math.max(Date.now(), last + 1)));
const inbound = (from: string, body: string) =>
	receiveInboundSms(t.db, { messageSid: messageSid(), from, to: OUR_NUMBER, body, receivedAt: tick() }, { company: 'Acme' });

async function counts() {
	const [m] = await t.db.select({ n: count() }).from(smsMessages);
	const [th] = await t.db.select({ n: count() }).from(smsThreads);
	const [a] = await t.db.select({ n: count() }).from(outboundAttempts);
	return { messages: m?.n, threads: th?.n, attempts: a?.n };
}

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
	return error;
}
const appCode = (e: TRPCError) => (e.cause as { code?: string } | undefined)?.code;

describe('sms router', () => {
	it('lists the inbox newest first with unread counts, filters and search, and marks read', async () => {
		const phone = freshPhone();
		const customer = await makeCustomer(t.db, { firstName: 'Grace', lastName: 'Hopper', phones: [{ number: phone }] });
		await inbound(freshPhone(), 'older thread');
		const first = await inbound(phone, 'Where is my parcel?');
		await inbound(phone, 'Hello??');
		const inbox = await as(ann).inbox({});
		expect(inbox.items[0]).toMatchObject({
			id: first.thread.id,
			customerId: customer.id,
			customerName: 'Grace Hopper',
			unread: 2,
			lastMessagePreview: 'Hello??'
		});
		expect((await as(ann).inbox({ search: 'hopper' })).items.map((i) => i.id)).toEqual([first.thread.id]);
		expect((await as(ann).inbox({ search: 'parcel' })).items.map((i) => i.id)).toEqual([first.thread.id]);
		expect((await as(ann).inbox({ search: phone.slice(2, 8) })).items.map((i) => i.id)).toContain(first.thread.id);
		expect((await as(ann).inbox({ search: '%' })).items).toEqual([]);
		await as(ann).markRead({ threadId: first.thread.id });
		expect((await as(ann).inbox({})).items[0]?.unread).toBe(0);
		expect((await as(bob).inbox({})).items[0]?.unread).toBe(2);
		expect((await as(ann).inbox({ filter: 'mine' })).items).toEqual([]);
		await as(ann).assign({ threadId: first.thread.id, userId: ann.id });
		expect((await as(ann).inbox({ filter: 'mine' })).items.map((i) => i.id)).toEqual([first.thread.id]);
		expect((await as(ann).inbox({ filter: 'unassigned' })).items.map((i) => i.id)).not.toContain(first.thread.id);
		const nobody = await trpcError(as(ann).assign({ threadId: first.thread.id, userId: 'no-such-user' }));
		expect(appCode(nobody)).toBe('ASSIGNEE_NOT_FOUND');
		const paged = await as(ann).inbox({ limit: 1 });
		const next = await as(ann).inbox({ limit: 1, cursor: paged.nextCursor ?? undefined });
		expect(next.items[0]?.id).not.toBe(paged.items[0]?.id);
	});

	it('pages a thread back in time', async () => {
		const phone = freshPhone();
		let threadId = '';
		for (let i = 0; i < 5; i++) threadId = (await inbound(phone, `m${i}`)).thread.id;
		const page1 = await as(ann).messages({ threadId, limit: 2 });
		expect(page1.items.map((m) => m.body)).toEqual(['m4', 'm3']);
		const page2 = await as(ann).messages({ threadId, limit: 2, cursor: page1.nextCursor ?? undefined });
		expect(page2.items.map((m) => m.body)).toEqual(['m2', 'm1']);
		const page3 = await as(ann).messages({ threadId, limit: 2, cursor: page2.nextCursor ?? undefined });
		expect(page3).toMatchObject({ items: [{ body: 'm0' }], nextCursor: null });
	});

	it("hydrates an opened thread's last 10 messages into hot state", async () => {
		const phone = freshPhone();
		let thread = (await inbound(phone, 'm0')).thread;
		for (let i = 1; i < 12; i++) thread = (await inbound(phone, `m${i}`)).thread;
		expect(await as(ann).open({ threadId: thread.id })).toEqual({ hydrated: 10 });
		const live = await hot.query(api.smsMessages.forThread, { threadKey: thread.threadKey }, identity(ann));
		expect(live.map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 2}`));
	});

	it('sends into a thread, publishes it live and releases the lock; refuses while another agent holds it', async () => {
		const phone = freshPhone();
		const { thread } = await inbound(phone, 'Hi there');
		expect(await as(ann).open({ threadId: thread.id })).toEqual({ hydrated: 1 });

		await hot.mutation(api.smsLocks.acquire, { threadKey: thread.threadKey }, identity(ann));
		const before = await counts();
		const refused = await trpcError(as(bob).send({ threadId: thread.id, body: 'Let me help' }));
		expect(refused.code).toBe('CONFLICT');
		expect(appCode(refused)).toBe('LOCK_HELD_BY');
		expect(refused.message).toMatch(new RegExp(`^${ann.name} is replying`));
		expect(await counts()).toEqual(before);

		const sent = await as(ann).send({ threadId: thread.id, body: '<b>On it</b>' });
		expect(sent.thread.assignedTo).toBe(ann.id);
		expect(sent.message).toMatchObject({ status: 'waiting', body: '<b>On it</b>', authorId: ann.id, messageSid: null });
		expect(await hot.query(api.smsLocks.forThread, { threadKey: thread.threadKey }, identity(bob))).toBeNull();
		const waiting = await hot.query(api.smsMessages.forThread, { threadKey: thread.threadKey }, identity(bob));
		expect(waiting.map((m) => [m.direction, m.body, m.state])).toEqual([
			['inbound', 'Hi there', 'received'],
			['outbound', '<b>On it</b>', 'waiting']
		]);
		// The number's dispatcher hands it to the carrier and the inbox sees it move on, live.
		const [outcome] = await dispatchAll({ db: t.db, telephony, hot });
		expect(outcome).toMatchObject({ kind: 'sent', messageId: sent.message.id });
		expect(carrier.messages.get(outcome?.kind === 'sent' ? outcome.messageSid : '')?.body).toBe('<b>On it</b>');
		const live = await hot.query(api.smsMessages.forThread, { threadKey: thread.threadKey }, identity(bob));
		expect(live.map((m) => [m.direction, m.body, m.state])).toEqual([
			['inbound', 'Hi there', 'received'],
			['outbound', '<b>On it</b>', 'queued']
		]);
		// The lock is free again, but Ann's send made the thread hers: Bob may not answer it; a manager may.
		const taken = await trpcError(as(bob).send({ threadId: thread.id, body: 'Anything else?' }));
		expect([taken.code, appCode(taken)]).toEqual(['FORBIDDEN', 'THREAD_ASSIGNED_ELSEWHERE']);
		await expect(as(manager).send({ threadId: thread.id, body: 'Anything else?' })).resolves.toMatchObject({
			message: { authorId: manager.id },
			thread: { assignedTo: ann.id }
		});
		// Handed back to nobody, Bob may answer it.
		await as(ann).assign({ threadId: thread.id, userId: null });
		await expect(as(bob).send({ threadId: thread.id, body: 'Bob here' })).resolves.toMatchObject({ message: { authorId: bob.id } });
	});

	it('refuses DNC, empty and over-long bodies with clear codes, writing no message', async () => {
		const phone = freshPhone();
		const { thread } = await inbound(phone, 'STOP');
		const before = await counts();
		const dnc = await trpcError(as(ann).send({ threadId: thread.id, body: 'Please reply' }));
		expect(dnc.code).toBe('FORBIDDEN');
		expect(appCode(dnc)).toBe('DNC_BLOCKED');
		expect(dnc.message).toMatch(/opted out by keyword STOP on \d{4}-\d\d-\d\d; they must text START to receive messages\.$/);
		expect(await counts()).toEqual({ ...before, attempts: (before.attempts ?? 0) + 1 });
		const empty = await trpcError(as(ann).send({ threadId: thread.id, body: '  ' }));
		expect([empty.code, appCode(empty)]).toEqual(['BAD_REQUEST', 'EMPTY_BODY']);
		const long = await trpcError(as(ann).send({ threadId: thread.id, body: 'x'.repeat(2000) }));
		expect([long.code, appCode(long), long.message]).toEqual([
			'BAD_REQUEST',
			'BODY_TOO_LONG',
			'The message is 2,000 characters; the limit is 1,600. Shorten it by 400.'
		]);
		expect(await counts()).toEqual({ ...before, attempts: (before.attempts ?? 0) + 1 });
		await recordConsent(t.db, { phone, channel: 'sms', action: 'opt_in', source: 'keyword', keyword: 'START' });
		await expect(as(ann).send({ threadId: thread.id, body: 'Welcome back' })).resolves.toBeTruthy();
	});

	it('starts a thread from a record through the outbound gate, and answers a refusal with its rule, local time and opening', async () => {
		const to = '+13055557701';
		// The text goes out from the number the customer knows: the first voice queue's, here.
		await seedVoiceQueues(t.db);
		const { thread, message } = await as(ann).startThread({ to, body: 'Hello from Switchboard' });
		expect(thread).toMatchObject({ customerPhone: to, ourPhone: '+14155550100', assignedTo: ann.id });
		expect(message).toMatchObject({ direction: 'outbound', status: 'waiting' });
		// Florida: two more attempts are allowed in 24 hours, then the gate says when the number opens again.
		await as(ann).startThread({ to, body: 'Second' });
		await as(ann).startThread({ to, body: 'Third' });
		const refused = await trpcError(as(ann).startThread({ to, body: 'Fourth' }));
		expect([refused.code, appCode(refused)]).toEqual(['FORBIDDEN', 'MAX_ATTEMPTS']);
		expect(refused.cause).toMatchObject({ details: { rule: 'MAX_ATTEMPTS', recipientLocalTime: '2026-12-07T15:00-05:00', opensAt: expect.any(String) } });
		const [row] = await t.db.select({ n: count() }).from(smsMessages).where(eq(smsMessages.threadId, thread.id));
		expect(row?.n).toBe(3);
	});

	it('lets managers edit canned responses and agents insert them filled', async () => {
		const created = await as(manager).canned.create({
			title: 'Greeting',
			body: 'Hi {{customer.firstName}}, {{agent.name}} from {{company}} here.'
		});
		const error = await trpcError(as(ann).canned.create({ title: 'Nope', body: 'x' }));
		expect(error.code).toBe('FORBIDDEN');
		const bad = await trpcError(as(manager).canned.create({ title: 'Bad', body: 'Hi {{customer.lastName}}' }));
		expect(appCode(bad)).toBe('INVALID_CANNED_RESPONSE');
		const customer = await makeCustomer(t.db, { firstName: 'Ada' });
		expect(await as(ann).canned.render({ id: created.id, customerId: customer.id })).toEqual({
			text: `Hi Ada, ${ann.name} from Switchboard here.`
		});
		expect((await as(ann).canned.render({ id: created.id })).text).toBe(`Hi there, ${ann.name} from Switchboard here.`);
		const edited = await as(manager).canned.update({ id: created.id, title: 'Greeting', body: 'Hello {{customer.firstName}}!' });
		expect(edited.body).toBe('Hello {{customer.firstName}}!');
		expect((await as(ann).canned.list()).map((c) => c.id)).toContain(created.id);
		await as(manager).canned.retire({ id: created.id });
		expect((await as(ann).canned.list()).map((c) => c.id)).not.toContain(created.id);
		expect((await as(manager).canned.list({ includeRetired: true })).find((c) => c.id === created.id)?.retired).toBe(true);
		expect(appCode(await trpcError(as(ann).canned.render({ id: created.id })))).toBe('CANNED_RESPONSE_NOT_FOUND');
	});

	it('re-reads only the threads a notice names, with the filter and the caller\'s unread count', async () => {
		const a = await inbound(freshPhone(), 'first');
		const b = await inbound(freshPhone(), 'second');
		await as(bob).markRead({ threadId: a.thread.id });
		const both = await as(ann).inbox({ ids: [a.thread.id, b.thread.id] });
		expect(both.items.map((i) => [i.id, i.unread])).toEqual([
			[b.thread.id, 1],
			[a.thread.id, 1]
		]);
		expect((await as(bob).inbox({ ids: [a.thread.id] })).items[0]?.unread).toBe(0);
		await as(ann).assign({ threadId: a.thread.id, userId: ann.id });
		// Assigned now: it leaves "unassigned" (so an inbox showing that filter drops it) and joins Ann's "mine".
		expect((await as(bob).inbox({ filter: 'unassigned', ids: [a.thread.id, b.thread.id] })).items.map((i) => i.id)).toEqual([b.thread.id]);
		expect((await as(ann).inbox({ filter: 'mine', ids: [a.thread.id] })).items[0]).toMatchObject({ assigneeName: ann.name });
		expect((await as(ann).inbox({ ids: [] })).items).toEqual([]);
		expect((await trpcError(as(ann).inbox({ ids: ['not-a-uuid'] }))).code).toBe('BAD_REQUEST');
	});

	it('announces assignments to every inbox and read markers only to the reader', async () => {
		const { thread } = await inbound(freshPhone(), 'hello');
		await as(bob).markRead({ threadId: thread.id });
		await noticed(bob, { threadId: thread.id, kind: 'read' });
		await as(bob).assign({ threadId: thread.id, userId: bob.id });
		await Promise.all([noticed(ann, { threadId: thread.id, kind: 'assigned' }), noticed(bob, { threadId: thread.id, kind: 'assigned' })]);
		// The assignment notice came after Bob's read notice, and Ann never got the read one.
		expect(seen.some((s) => s.viewer === ann.id && s.change.threadId === thread.id && s.change.kind === 'read')).toBe(false);
	});

	it('lets agents take unassigned threads and hand back their own; moving others\' is for managers', async () => {
		const { thread } = await inbound(freshPhone(), 'who has this?');
		await as(ann).assign({ threadId: thread.id, userId: ann.id });
		const steal = await trpcError(as(bob).assign({ threadId: thread.id, userId: bob.id }));
		expect([steal.code, appCode(steal)]).toEqual(['FORBIDDEN', 'ASSIGN_NOT_ALLOWED']);
		const drop = await trpcError(as(bob).assign({ threadId: thread.id, userId: null }));
		expect(appCode(drop)).toBe('ASSIGN_NOT_ALLOWED');
		await expect(as(manager).assign({ threadId: thread.id, userId: bob.id })).resolves.toMatchObject({ assignedTo: bob.id });
		await expect(as(bob).assign({ threadId: thread.id, userId: null })).resolves.toMatchObject({ assignedTo: null });
	});

	it('two agents taking one unassigned thread at once: exactly one gets it', async () => {
		const { thread } = await inbound(freshPhone(), 'race');
		const results = await Promise.allSettled([as(ann).assign({ threadId: thread.id, userId: ann.id }), as(bob).assign({ threadId: thread.id, userId: bob.id })]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [row] = await t.db.select().from(smsThreads).where(eq(smsThreads.id, thread.id));
		const winner = results.findIndex((r) => r.status === 'fulfilled') === 0 ? ann.id : bob.id;
		expect(row?.assignedTo).toBe(winner);
	});

	it('suggests spelling fixes through the LanguageAI port, at most three choices, and fails with a clear code', async () => {
		expect(await as(ann).grammar({ text: 'I saw teh parcel.' })).toEqual([
			{ start: 6, end: 9, message: 'Did you mean "the"?', replacements: ['the', 'tea', 'ten'] }
		]);
		expect(await as(ann).grammar({ text: '   ' })).toEqual([]);
		expect((await trpcError(as(ann).grammar({ text: 'x'.repeat(1601) }))).code).toBe('BAD_REQUEST');
		const working = languageAi;
		languageAi = { checkGrammar: () => Promise.reject(new Error('model unavailable')) };
		try {
			expect(appCode(await trpcError(as(ann).grammar({ text: 'teh' })))).toBe('SUGGESTIONS_UNAVAILABLE');
		} finally {
			languageAi = working;
		}
		expect((await trpcError(as(null).grammar({ text: 'teh' }))).code).toBe('UNAUTHORIZED');
	});

	it('refuses callers who are not signed in', async () => {
		expect((await trpcError(as(null).inbox({}))).code).toBe('UNAUTHORIZED');
	});
});
