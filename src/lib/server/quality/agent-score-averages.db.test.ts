/** The reports' per-agent scorecard averages: submitted review cards on calls in the range only. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeStaff } from '../crm/test-factories';
import { createTestDb, type TestDb } from '../db/test-db';
import { agentScoreAverages } from './agent-score-averages';
import { startCalibration } from './calibration';
import { saveScorecard } from './scorecards';
import { makeAnsweredCall } from './test-factories';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
}, 60_000);
afterAll(() => t.close());

const scores = (greeting: number) => ({ greeting, productKnowledge: 4, problemResolution: 4, professionalism: 5, closing: 3 });

it('averages submitted review cards per agent over calls received in the range', async () => {
	const [manager, a, b] = await Promise.all([makeStaff(t.db, 'manager'), makeStaff(t.db, 'agent'), makeStaff(t.db, 'agent')]);
	const inRange = new Date('2026-05-05T10:00:00Z');
	const card = (callId: string, greeting: number, submit = true, calibrationId: string | null = null) =>
		saveScorecard(t.db, manager, { callId, calibrationId, scores: scores(greeting), feedback: { greeting: 'x' }, coachingNotes: '', submit });
	const c1 = await makeAnsweredCall(t.db, a.id, { receivedAt: inRange });
	const c2 = await makeAnsweredCall(t.db, a.id, { receivedAt: inRange });
	const before = await makeAnsweredCall(t.db, a.id, { receivedAt: new Date('2026-05-01T10:00:00Z') });
	const drafted = await makeAnsweredCall(t.db, b.id, { receivedAt: inRange });
	await card(c1.id, 4);
	await card(c2.id, 1);
	await card(before.id, 5);
	await card(drafted.id, 5, false);
	const round = await startCalibration(t.db, manager, c1.id);
	await card(c1.id, 5, true, round.id);
	const got = await agentScoreAverages(t.db, [a.id, b.id], { from: new Date('2026-05-04T00:00:00Z'), to: new Date('2026-05-11T00:00:00Z') });
	expect(got.get(a.id)).toEqual({ cards: 2, avg: { greeting: 2.5, productKnowledge: 4, problemResolution: 4, professionalism: 5, closing: 3 } });
	expect(got.has(b.id)).toBe(false);
	expect(await agentScoreAverages(t.db, [], { from: new Date(0), to: new Date() })).toEqual(new Map());
});
