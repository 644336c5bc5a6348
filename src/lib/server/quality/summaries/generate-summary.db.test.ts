/**
 * Performance summaries on the archive: metrics computed for an agent and a queue, the local
 * text passes its own number check, a model that invents or alters a number is regenerated
 * and, when it keeps doing so, the summary is refused with no text; agents read only their own.
 */
import { TRPCError } from '@trpc/server';
import { randomUUID } from 'node:crypto';
import { and, eq, gte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSegments } from '../../db/schema/call-control';
import { calls } from '../../db/schema/calls';
import { callTransfers } from '../../db/schema/transfers';
import { LocalLanguageAi, type GenerateJsonInput, type LanguageAiPort } from '../../adapters/language-ai';
import { makeStaff } from '../../crm/test-factories';
import { createTestDb, type TestDb } from '../../db/test-db';
import type { Services } from '../../services';
import { createCallerFactory } from '../../trpc/init';
import { qualityRouter } from '../../trpc/routers/quality';
import { makeAnsweredCall } from '../test-factories';
import { saveScorecard } from '../scorecards';
import { generateSummary } from './generate-summary';
import { computeMetrics } from './metrics';

let t: TestDb;
let agent: { id: string; name: string; role: 'agent' };
let manager: { id: string; name: string; email: string; role: 'manager' };
const period = { from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') };
const scores = (g: number) => ({ greeting: g, productKnowledge: 4, problemResolution: 4, professionalism: 5, closing: 3 });

beforeAll(async () => {
	t = await createTestDb();
	agent = (await makeStaff(t.db, 'agent')) as typeof agent;
	manager = (await makeStaff(t.db, 'manager')) as typeof manager;
	const prior = await makeAnsweredCall(t.db, agent.id, { receivedAt: new Date('2026-11-17T10:00:00Z'), queue: 'sum-q' });
	await saveScorecard(t.db, manager, { callId: prior.id, scores: scores(3), feedback: {}, coachingNotes: '', submit: true });
	for (const [i, talk] of [120, 240, 300].entries()) {
		const call = await makeAnsweredCall(t.db, agent.id, { receivedAt: new Date(`2026-11-2${4 + i}T10:00:00Z`), talkSeconds: talk, queue: 'sum-q' });
		if (i < 2) await saveScorecard(t.db, manager, { callId: call.id, scores: scores(4 + i), feedback: {}, coachingNotes: '', submit: true });
	}
}, 60_000);
afterAll(() => t.close());

/** A model that answers each attempt with the next text in the list. */
function writer(texts: string[]): LanguageAiPort & { calls: number } {
	let calls = 0;
	return {
		kind: 'gemini',
		maxAudioBytes: 0,
		get calls() {
			return calls;
		},
		checkGrammar: () => Promise.resolve([]),
		generateJson: <T>(input: GenerateJsonInput<T>) => Promise.resolve(input.schema.parse({ summary: texts[Math.min(calls++, texts.length - 1)] })),
		close: () => Promise.resolve()
	};
}

describe('metrics', () => {
	it('counts the period only, with scorecard averages and their change from the period before', async () => {
		const m = await computeMetrics(t.db, 'agent', agent.id, period);
		expect(m).toMatchObject({ callsHandled: 3, avgTalkSeconds: 220, scorecards: 2, greetingAvg: 4.5, greetingChange: 1.5, closingAvg: 3, closingChange: 0, aiHumanMeanAbsDiff: null });
		expect((await computeMetrics(t.db, 'queue', 'sum-q', period)).callsHandled).toBe(3);
	});

	it('counts time on hold and the transfers that went through, not the cancelled ones', async () => {
		const [call] = await t.db.select({ id: calls.id, callSid: calls.callSid }).from(calls).where(and(eq(calls.agentId, agent.id), gte(calls.receivedAt, period.from))).limit(1);
		const at = new Date('2026-11-25T10:01:00Z');
		await t.db.insert(callSegments).values({ callId: call!.id, kind: 'hold', agentId: agent.id, startedAt: at, endedAt: new Date(at.getTime() + 45_000) });
		const transfer = (outcome: 'completed' | 'cancelled') => ({
			id: randomUUID(),
			callId: call!.id,
			callSid: call!.callSid,
			kind: 'cold' as const,
			targetKind: 'queue' as const,
			fromAgentId: agent.id,
			toQueue: 'sum-q',
			outcome,
			startedAt: at
		});
		await t.db.insert(callTransfers).values([transfer('completed'), transfer('cancelled')]);
		const m = await computeMetrics(t.db, 'agent', agent.id, period);
		expect(m).toMatchObject({ totalHoldSeconds: 45, avgHoldSeconds: 15, transfers: 1, callsHandled: 3 });
		expect(await computeMetrics(t.db, 'agent', agent.id, { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z') })).toMatchObject({ totalHoldSeconds: 0, avgHoldSeconds: null, transfers: 0 });
		await t.db.delete(callTransfers).where(eq(callTransfers.callId, call!.id));
		await t.db.delete(callSegments).where(eq(callSegments.callId, call!.id));
	});
});

describe('generated text', () => {
	it('keeps the local text, whose every number is in the metrics', async () => {
		const s = await generateSummary({ db: t.db, languageAi: new LocalLanguageAi() }, { scope: 'agent', subject: agent.id, period });
		expect(s).toMatchObject({ attempts: 1, refusedReason: null });
		expect(s.text).toContain(`${agent.name} handled 3 answered calls`);
		expect(s.text).toContain('greeting up 1.5');
	});

	it('regenerates a text with an invented number and keeps the honest one', async () => {
		const ai = writer([`${agent.name} handled 3 calls and resolved 17 on first contact.`, `${agent.name} handled 3 calls; greeting averaged 4.5, up 1.5.`]);
		const s = await generateSummary({ db: t.db, languageAi: ai }, { scope: 'agent', subject: agent.id, period });
		expect(s).toMatchObject({ attempts: 2, text: `${agent.name} handled 3 calls; greeting averaged 4.5, up 1.5.`, refusedReason: null });
	});

	it('refuses, with no text, a summary whose every attempt states an altered number', async () => {
		const ai = writer(['The sum-q queue handled 31 calls.']);
		const s = await generateSummary({ db: t.db, languageAi: ai }, { scope: 'queue', subject: 'sum-q', period });
		expect(ai.calls).toBe(3);
		expect(s.text).toBeNull();
		expect(s.refusedReason).toBe('Every attempt stated numbers not in the metrics: 31.');
	});
});

describe('who reads summaries', () => {
	it("lets an agent read their own, not another agent's or a queue's; managers read all", async () => {
		const caller = (user: { id: string; name: string; role: 'agent' | 'manager' }) =>
			createCallerFactory(qualityRouter)({ services: { db: t.db, adapters: { languageAi: new LocalLanguageAi() } } as unknown as Services, user: { email: 'x@test.local', ...user } });
		const other = await makeStaff(t.db, 'agent');
		expect((await caller(agent).summary.latest({ scope: 'agent', subject: agent.id }))?.text).toBeTruthy();
		for (const subject of [{ scope: 'agent' as const, subject: other.id }, { scope: 'queue' as const, subject: 'sum-q' }]) {
			const err = await caller(agent)
				.summary.latest(subject)
				.catch((e: unknown) => e);
			expect(err).toBeInstanceOf(TRPCError);
			expect(err).toMatchObject({ code: 'FORBIDDEN', message: 'Agents see only their own performance summary; queue summaries are for managers and supervisors.' });
		}
		expect((await caller(manager).summary.latest({ scope: 'queue', subject: 'sum-q' }))?.refusedReason).toMatch(/not in the metrics/);
		const fresh = await caller(agent).summary.generate({ scope: 'agent', subject: agent.id, from: period.from.toISOString(), to: period.to.toISOString() });
		expect(fresh.text).toContain('handled 3 answered calls');
	});
});
