/**
 * Scorecards through the tRPC router: the rules a card must follow (every category on submit,
 * 1 to 5, feedback at 1 or 2, no edit after submit), who may grade and read, the agent's
 * acknowledgement and dispute with the manager's answer, blind calibration, versioned anchors
 * and the review queue's weekly sample.
 */
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../../crm/test-factories';
import { createTestDb, type TestDb } from '../../db/test-db';
import { makeAnsweredCall } from '../../quality/test-factories';
import { aiGrades, type AiCategoryGrade } from '../../db/schema/quality';
import { SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import type { Services } from '../../services';
import { createCallerFactory, type SessionUser } from '../init';
import { qualityRouter, type TSaveScorecard } from './quality';

let t: TestDb;
const createCaller = createCallerFactory(qualityRouter);
const as = (who: SessionUser) => createCaller({ services: { db: t.db } as unknown as Services, user: who });
let manager: SessionUser;
let manager2: SessionUser;
let supervisor: SessionUser;
let agent: SessionUser;
let otherAgent: SessionUser;
let admin: SessionUser;

beforeAll(async () => {
	t = await createTestDb();
	[manager, manager2, supervisor, agent, otherAgent, admin] = await Promise.all([
		makeStaff(t.db, 'manager'),
		makeStaff(t.db, 'manager'),
		makeStaff(t.db, 'supervisor'),
		makeStaff(t.db, 'agent'),
		makeStaff(t.db, 'agent'),
		makeStaff(t.db, 'admin')
	]);
}, 60_000);
afterAll(() => t.close());

const full = { greeting: 4, productKnowledge: 3, problemResolution: 5, professionalism: 4, closing: 2 };
const card = (callId: string, extra: Partial<TSaveScorecard> = {}): TSaveScorecard => ({
	callId,
	scores: full,
	feedback: { closing: 'Summarise the fix and offer more help before you say goodbye.' },
	coachingNotes: 'Good fix; work on the close.',
	submit: true,
	...extra
});

async function refusal(p: Promise<unknown>) {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(TRPCError);
	const e = err as TRPCError & { cause?: { code?: string } };
	return { code: e.code, appCode: e.cause?.code, message: e.message };
}

describe('scorecard rules', () => {
	it('refuses a submit with a category missing, naming it', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const { greeting: _g, ...four } = full;
		const r = await refusal(as(manager).scorecard.save(card(call.id, { scores: four })));
		expect(r).toMatchObject({ code: 'BAD_REQUEST', appCode: 'CATEGORY_MISSING' });
		expect(r.message).toMatch(/Score Greeting before submitting/);
		expect(await as(manager).scorecard.mine({ callId: call.id })).toBeNull();
	});

	it('refuses a score of 0 or 6 with the category and the range', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		for (const bad of [0, 6]) {
			const r = await refusal(as(manager).scorecard.save(card(call.id, { scores: { ...full, professionalism: bad } })));
			expect(r).toMatchObject({ code: 'BAD_REQUEST', appCode: 'SCORE_OUT_OF_RANGE' });
			expect(r.message).toBe(`Professionalism is scored ${bad}; scores are whole numbers from 1 to 5.`);
		}
		// Also as a draft: an impossible score is never stored.
		const draft = await refusal(as(manager).scorecard.save(card(call.id, { scores: { greeting: 6 }, submit: false })));
		expect(draft.appCode).toBe('SCORE_OUT_OF_RANGE');
		expect(await as(manager).scorecard.mine({ callId: call.id })).toBeNull();
	});

	it('requires feedback for a score of 1 or 2', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		for (const low of [1, 2]) {
			const r = await refusal(as(manager).scorecard.save(card(call.id, { scores: { ...full, greeting: low }, feedback: { closing: 'ok' } })));
			expect(r).toMatchObject({ code: 'BAD_REQUEST', appCode: 'FEEDBACK_REQUIRED' });
			expect(r.message).toMatch(/^Greeting is scored \d: write feedback/);
		}
		const blank = await refusal(as(manager).scorecard.save(card(call.id, { feedback: { closing: '   ' } })));
		expect(blank.appCode).toBe('FEEDBACK_REQUIRED');
	});

	it('saves a draft, then submits it; a submitted card cannot be edited', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const draft = await as(manager).scorecard.save(card(call.id, { scores: { greeting: 4 }, feedback: {}, submit: false }));
		expect(draft).toMatchObject({ status: 'draft', scores: { greeting: 4, closing: null }, agentId: agent.id, anchorVersion: 1 });
		// The agent does not see a draft.
		expect(await as(agent).scorecard.list({})).not.toContainEqual(expect.objectContaining({ id: draft.id }));
		const sent = await as(manager).scorecard.save(card(call.id));
		expect(sent).toMatchObject({ id: draft.id, status: 'submitted', scores: full });
		const r = await refusal(as(manager).scorecard.save(card(call.id, { scores: { ...full, closing: 5 } })));
		expect(r).toMatchObject({ code: 'CONFLICT', appCode: 'SCORECARD_SUBMITTED' });
		expect(r.message).toMatch(/can no longer be edited/);
		expect((await as(manager).scorecard.get({ id: draft.id })).scores.closing).toBe(2);
	});

	it('lets only one of two racing saves change a card that one of them submits', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const results = await Promise.allSettled([
			as(manager).scorecard.save(card(call.id)),
			as(manager).scorecard.save(card(call.id, { scores: { ...full, greeting: 1 }, feedback: { closing: 'x', greeting: 'Name the company.' } }))
		]);
		const saved = await as(manager).scorecard.mine({ callId: call.id });
		expect(saved?.status).toBe('submitted');
		const ok = results.filter((r) => r.status === 'fulfilled');
		expect(ok.length).toBeGreaterThanOrEqual(1);
		// Whatever won, the stored card is one of the two submitted versions, whole.
		expect([4, 1]).toContain(saved?.scores.greeting);
	});
});

describe('who grades and who reads', () => {
	it('refuses an agent grading a call, with the reason', async () => {
		const call = await makeAnsweredCall(t.db, otherAgent.id);
		const r = await refusal(as(agent).scorecard.save(card(call.id)));
		expect(r.code).toBe('FORBIDDEN');
		expect(r.message).toMatch(/manager role or higher; you are signed in as agent/);
	});

	it('lets supervisors grade; admins read; agents read only their own', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const sent = await as(supervisor).scorecard.save(card(call.id));
		expect((await as(admin).scorecard.get({ id: sent.id })).reviewerId).toBe(supervisor.id);
		expect((await as(agent).scorecard.get({ id: sent.id })).scores).toEqual(full);
		const other = await refusal(as(otherAgent).scorecard.get({ id: sent.id }));
		expect(other).toMatchObject({ code: 'FORBIDDEN', appCode: 'NOT_YOUR_SCORECARD', message: 'Agents can read only their own scorecards.' });
		const list = await refusal(as(otherAgent).scorecard.list({ agentId: agent.id }));
		expect(list).toMatchObject({ code: 'FORBIDDEN', appCode: 'NOT_YOUR_SCORECARD' });
		expect(await as(otherAgent).scorecard.list({ callId: call.id })).toEqual([]);
		expect((await as(manager).scorecard.list({ agentId: agent.id })).map((c) => c.id)).toContain(sent.id);
	});
});

describe('after submit', () => {
	it('the agent acknowledges and disputes; a manager answers and the dispute closes', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const sent = await as(manager).scorecard.save(card(call.id));
		const ackOther = await refusal(as(otherAgent).scorecard.acknowledge({ id: sent.id }));
		expect(ackOther.appCode).toBe('NOT_YOUR_SCORECARD');
		const ack = await as(agent).scorecard.acknowledge({ id: sent.id });
		expect(ack.acknowledgedAt).toBeInstanceOf(Date);
		await as(agent).scorecard.reply({ scorecardId: sent.id, kind: 'dispute', body: 'I did offer more help at 3:10.' });
		expect((await as(manager).scorecard.get({ id: sent.id })).disputeStatus).toBe('open');
		const agentAnswer = await refusal(as(agent).scorecard.reply({ scorecardId: sent.id, kind: 'answer', body: 'Answered myself' }));
		expect(agentAnswer.appCode).toBe('GRADERS_ONLY');
		await as(manager).scorecard.reply({ scorecardId: sent.id, kind: 'answer', body: 'You did; the summary was missing.' });
		expect((await as(agent).scorecard.get({ id: sent.id })).disputeStatus).toBe('answered');
		const replies = await as(agent).scorecard.replies({ scorecardId: sent.id });
		expect(replies.map((r) => r.kind)).toEqual(['dispute', 'answer']);
		const empty = await refusal(as(agent).scorecard.reply({ scorecardId: sent.id, kind: 'comment', body: '  ' }));
		expect(empty.appCode).toBe('COMMENT_EMPTY');
	});
});

describe("the manager's answer", () => {
	it('a supervisor answers a comment; the agent reads it; another agent can neither answer nor read it', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const sent = await as(manager).scorecard.save(card(call.id));
		await as(agent).scorecard.reply({ scorecardId: sent.id, kind: 'comment', body: 'Which part of the close was missing?' });
		const answer = await as(supervisor).scorecard.reply({ scorecardId: sent.id, kind: 'answer', body: 'The recap of the fix.' });
		expect(answer).toMatchObject({ kind: 'answer', authorName: supervisor.name });
		// A comment is not a dispute: answering it opens or closes nothing.
		expect((await as(agent).scorecard.get({ id: sent.id })).disputeStatus).toBeNull();
		expect((await as(agent).scorecard.replies({ scorecardId: sent.id })).map((r) => [r.kind, r.body])).toEqual([
			['comment', 'Which part of the close was missing?'],
			['answer', 'The recap of the fix.']
		]);
		expect(await refusal(as(otherAgent).scorecard.reply({ scorecardId: sent.id, kind: 'answer', body: 'me too' }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'GRADERS_ONLY' });
		expect(await refusal(as(otherAgent).scorecard.replies({ scorecardId: sent.id }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'NOT_YOUR_SCORECARD' });
	});
});

describe("an agent's quality page", () => {
	it('lists the cards with the AI grade beside, averages per category and the weekly trend; agents open only their own', async () => {
		const a = await makeStaff(t.db, 'agent');
		const now = new Date();
		const weekAgo = new Date(now.getTime() - 14 * 86_400_000);
		const old = await makeAnsweredCall(t.db, a.id, { receivedAt: weekAgo });
		const recent = await makeAnsweredCall(t.db, a.id, { receivedAt: now });
		const oldCard = await as(manager).scorecard.save(card(old.id, { scores: { ...full, greeting: 2 }, feedback: { greeting: 'Name the company.', closing: 'Recap.' } }));
		await t.db.execute(sql`update scorecards set created_at = ${weekAgo.toISOString()} where id = ${oldCard.id}`);
		await as(manager).scorecard.save(card(recent.id));
		await t.db.insert(aiGrades).values({
			callId: recent.id,
			status: 'graded',
			categories: Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, { score: 3, justification: 'j', verified: c !== 'closing', evidence: [], dropped: 0 }]))
		});
		const page = await as(a).agentProfile({ agentId: a.id });
		expect(page.agent).toEqual({ id: a.id, name: a.name });
		expect(page.cards.map((c) => c.callId)).toEqual([recent.id, old.id]);
		expect(page.cards[0]!.ai).toMatchObject({ greeting: { score: 3, verified: true }, closing: { score: 3, verified: false } });
		expect(page.cards[1]!.ai).toBeNull();
		expect(page.totals).toEqual({ cards: 2, avg: { greeting: 3, productKnowledge: 3, problemResolution: 5, professionalism: 4, closing: 2 } });
		expect(page.weeks).toHaveLength(2);
		expect(page.weeks.map((w) => w.avg.greeting)).toEqual([2, 4]);
		expect(page.trend).toMatchObject({ greeting: 2, closing: 0 });
		expect((await as(manager).agentProfile({ agentId: a.id })).cards).toHaveLength(2);
		expect(await refusal(as(agent).agentProfile({ agentId: a.id }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'NOT_YOUR_SCORECARD' });
	});
});

describe('calibration', () => {
	it('is blind until each grader has submitted, then shows the spread per category', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const round = await as(manager).calibration.start({ callId: call.id });
		const a = await as(manager).scorecard.save(card(call.id, { calibrationId: round.id }));
		const before = await as(manager2).calibration.get({ id: round.id });
		expect(before).toMatchObject({ cards: [], spread: null, submittedBy: [manager.name] });
		const blind = await refusal(as(manager2).scorecard.get({ id: a.id }));
		expect(blind.appCode).toBe('CALIBRATION_BLIND');
		await as(manager2).scorecard.save(card(call.id, { calibrationId: round.id, scores: { ...full, greeting: 2, closing: 4 }, feedback: { greeting: 'No company name.' } }));
		const after = await as(manager2).calibration.get({ id: round.id });
		expect(after.cards).toHaveLength(2);
		expect(after.spread?.greeting).toEqual({ min: 2, max: 4, range: 2, scores: [4, 2] });
		expect(after.spread?.problemResolution.range).toBe(0);
		// Calibration scores are not the agent's review.
		expect(await as(agent).scorecard.list({ callId: call.id })).toEqual([]);
		expect(await refusal(as(agent).calibration.get({ id: round.id }))).toMatchObject({ code: 'FORBIDDEN' });
	});
});

describe('anchors', () => {
	it('admins save a new version; a card keeps the version it was started against', async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		const v1 = await as(agent).anchors({});
		const draft = await as(manager).scorecard.save(card(call.id, { submit: false }));
		expect(draft.anchorVersion).toBe(v1.version);
		const edited = { ...v1.anchors, greeting: [...v1.anchors.greeting.slice(0, 4), 'Names company and self, offers help, uses the caller name.'] };
		expect(await refusal(as(manager).saveAnchors({ basedOn: v1.version, anchors: edited }))).toMatchObject({ code: 'FORBIDDEN' });
		expect(await refusal(as(agent).saveAnchors({ basedOn: v1.version, anchors: edited }))).toMatchObject({ code: 'FORBIDDEN' });
		expect(await refusal(as(supervisor).anchorHistory())).toMatchObject({ code: 'FORBIDDEN' });
		const v2 = await as(admin).saveAnchors({ basedOn: v1.version, anchors: edited });
		expect(v2.version).toBe(v1.version + 1);
		const stale = await refusal(as(admin).saveAnchors({ basedOn: v1.version, anchors: edited }));
		expect(stale.appCode).toBe('ANCHORS_CHANGED');
		const sent = await as(manager).scorecard.save(card(call.id));
		expect(sent.anchorVersion).toBe(v1.version);
		expect((await as(agent).anchors({ version: v1.version })).anchors.greeting[4]).toBe(v1.anchors.greeting[4]);
		// The card filled before the edit still opens, and reads, against its own version.
		const review = await as(manager).review({ callId: call.id });
		expect(review.anchors).toMatchObject({ version: v1.version, anchors: { greeting: v1.anchors.greeting } });
		const page = await as(agent).agentProfile({ agentId: agent.id });
		expect(page.anchors[v1.version]?.greeting[4]).toBe(v1.anchors.greeting[4]);
		const fresh = await as(manager).scorecard.save(card((await makeAnsweredCall(t.db, agent.id)).id));
		expect(fresh.anchorVersion).toBe(v2.version);
		expect((await as(manager).review({ callId: fresh.callId })).anchors.anchors.greeting[4]).toBe('Names company and self, offers help, uses the caller name.');
		const history = await as(admin).anchorHistory();
		expect(history.slice(0, 2)).toMatchObject([{ version: v2.version, createdByName: admin.name }, { version: v1.version }]);
	});
});

describe('review queue', () => {
	it('samples the configured number of calls per agent per week, keeps opened calls, drops reviewed ones', async () => {
		const weekAgent = await makeStaff(t.db, 'agent');
		const at = new Date('2026-11-18T10:00:00Z');
		for (let i = 0; i < 5; i++) await makeAnsweredCall(t.db, weekAgent.id, { receivedAt: new Date(at.getTime() + i * 60_000) });
		await as(manager).saveSettings({ samplesPerAgentPerWeek: 3, aiLowThreshold: 2 });
		const db = t.db;
		const { listReviewQueue } = await import('../../quality/review-queue');
		const q1 = await listReviewQueue(db, manager, { now: at });
		const mine = q1.filter((e) => e.agentId === weekAgent.id);
		expect(mine).toHaveLength(3);
		expect(mine.every((e) => e.reasons.includes('sampled'))).toBe(true);
		// Asking again (concurrently) samples nothing more.
		await Promise.all([listReviewQueue(db, manager, { now: at }), listReviewQueue(db, manager2, { now: at })]);
		expect((await listReviewQueue(db, manager, { now: at })).filter((e) => e.agentId === weekAgent.id)).toHaveLength(3);
		const late = await makeAnsweredCall(t.db, weekAgent.id, { receivedAt: at });
		await as(manager).openForReview({ callId: late.id });
		const q2 = (await listReviewQueue(db, manager, { now: at })).filter((e) => e.agentId === weekAgent.id);
		expect(q2.find((e) => e.callId === late.id)?.reasons).toContain('opened');
		await as(manager).scorecard.save(card(mine[0]!.callId));
		const q3 = (await listReviewQueue(db, manager, { now: at })).filter((e) => e.agentId === weekAgent.id);
		expect(q3.map((e) => e.callId)).not.toContain(mine[0]!.callId);
		expect(await refusal(as(agent).queue({}))).toMatchObject({ code: 'FORBIDDEN' });
	});
});

describe('AI grades through the router', () => {
	it("shows a call's AI grade to its agent and graders only", async () => {
		const call = await makeAnsweredCall(t.db, agent.id);
		expect(await as(agent).aiGrade({ callId: call.id })).toMatchObject({ status: 'none', categories: null });
		expect((await as(manager).aiGrade({ callId: call.id })).status).toBe('none');
		const r = await refusal(as(otherAgent).aiGrade({ callId: call.id }));
		expect(r).toMatchObject({ code: 'FORBIDDEN', appCode: 'NOT_YOUR_CALL' });
	});
});

describe('AI-human agreement', () => {
	const aiCategories = (scores: Record<ScoreCategory, number>) =>
		Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, { score: scores[c], justification: 'j', verified: true, evidence: [], dropped: 0 } satisfies AiCategoryGrade]));

	it('reports mean absolute difference, share within one and the most disagreeing calls, per category', async () => {
		const a = await makeStaff(t.db, 'agent');
		const from = new Date('2025-03-03T00:00:00Z');
		const at = new Date('2025-03-04T10:00:00Z');
		const close = await makeAnsweredCall(t.db, a.id, { receivedAt: at });
		const far = await makeAnsweredCall(t.db, a.id, { receivedAt: at });
		const humanOnly = await makeAnsweredCall(t.db, a.id, { receivedAt: at });
		await t.db.insert(aiGrades).values([
			{ callId: close.id, status: 'graded', categories: aiCategories({ ...full }) },
			{ callId: far.id, status: 'graded', categories: aiCategories({ greeting: 1, productKnowledge: 3, problemResolution: 2, professionalism: 4, closing: 3 }) }
		]);
		await as(manager).scorecard.save(card(close.id));
		await as(manager).scorecard.save(card(far.id));
		await as(supervisor).scorecard.save(card(far.id, { scores: { ...full, greeting: 5 } }));
		await as(manager).scorecard.save(card(humanOnly.id));
		const report = await as(manager).agreement({ from: from.toISOString(), to: new Date('2025-03-10T00:00:00Z').toISOString() });
		expect(report.calls).toBe(2);
		// greeting: close 0, far |1 - mean(4, 5)| = 3.5
		expect(report.perCategory.greeting).toEqual({ pairs: 2, meanAbsDiff: 1.75, withinOne: 0.5 });
		expect(report.perCategory.problemResolution).toEqual({ pairs: 2, meanAbsDiff: 1.5, withinOne: 0.5 });
		expect(report.perCategory.productKnowledge).toEqual({ pairs: 2, meanAbsDiff: 0, withinOne: 1 });
		expect(report.mostDisagreeing.map((m) => m.callId)).toEqual([far.id]);
		expect(report.mostDisagreeing[0]).toMatchObject({ totalDiff: 7.5, diffs: { greeting: 3.5, closing: 1 } });
		expect(await refusal(as(agent).agreement({}))).toMatchObject({ code: 'FORBIDDEN' });
	});
});
