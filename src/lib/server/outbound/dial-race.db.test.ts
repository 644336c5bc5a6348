/**
 * No double-dial, through the whole outbound route in process (signature, hot state's
 * claimDial in the local engine, the gate's transaction): 20 agents dial one number at the same
 * moment, 5 rounds (dial-claim-race.test.ts runs the deciding mutation itself 200 rounds). Each round exactly one dial is answered with a `<Dial>` (the only
 * thing that makes the carrier call anyone), the other 19 are refused DIAL_IN_PROGRESS and kept
 * as refused attempts, and the archive holds one outbound call.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { agentClientIdentity } from '../calls/caller-number';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from '../calls/test-harness';
import { VOICE_PATHS } from '../calls/voice-paths';
import { calls } from '../db/schema/calls';
import { outboundAttempts } from '../db/schema/compliance';
import { SYSTEM_IDENTITY, type Identity } from '../live/hot';

const AGENTS = 20;
const ROUNDS = 5;
const NUMBER = '+12125550123';

let h: VoiceHarness;
let agents: Identity[];
beforeAll(async () => {
	// Midday in New York, and no re-call gap: only hot state stands between the 20 dials.
	h = await createVoiceHarness({ env: { OUTBOUND_CLOCK_START: '2026-12-07T17:00:00Z', OUTBOUND_RULES: '{"recallGapMinutes":0}' } });
	agents = [];
	for (let i = 0; i < AGENTS; i++) agents.push(await h.addAgent(['sales'], `Racer ${i}`));
}, 120_000);
afterAll(() => h.close());

async function dial(agent: Identity) {
	const callSid = newCallSid();
	const from = `client:${agentClientIdentity(agent.subject)}`;
	const res = await h.post(VOICE_PATHS.outbound, {
		AccountSid: ACCOUNT_SID,
		CallSid: callSid,
		CallStatus: 'ringing',
		Direction: 'inbound',
		From: from,
		Caller: from,
		To: NUMBER
	});
	return { agent, callSid, from, body: await res.text() };
}

describe('20 agents dialling one number at once', () => {
	it(`put exactly one call through, ${ROUNDS} rounds`, async () => {
		for (let round = 0; round < ROUNDS; round++) {
			const results = await Promise.all(agents.map(dial));
			const dialled = results.filter((r) => r.body.includes('<Dial'));
			expect(dialled, `round ${round}`).toHaveLength(1);
			const refused = results.filter((r) => r.body.includes('is already on a call with another agent'));
			expect(refused, `round ${round}`).toHaveLength(AGENTS - 1);
			const [winner] = dialled;
			if (!winner) throw new Error('no winner');
			// The call ends (busy) and its agent saves the wrap-up: the number and the agent are free for the next round.
			await h.post(VOICE_PATHS.outboundDialAction, {
				AccountSid: ACCOUNT_SID,
				CallSid: winner.callSid,
				From: winner.from,
				To: NUMBER,
				DialCallStatus: 'busy'
			});
			await h.hot.mutation(api.callWrapup.finishWrapup, { callSid: winner.callSid, agentId: winner.agent.subject }, SYSTEM_IDENTITY);
		}
		const db = h.testDb.db;
		const [placed] = await db
			.select({ n: count() })
			.from(calls)
			.where(and(eq(calls.toE164, NUMBER), eq(calls.direction, 'outbound')));
		expect(placed?.n).toBe(ROUNDS);
		const byCode = await db
			.select({ code: outboundAttempts.code, n: count() })
			.from(outboundAttempts)
			.where(eq(outboundAttempts.toPhone, NUMBER))
			.groupBy(outboundAttempts.code);
		expect(Object.fromEntries(byCode.map((r) => [r.code, r.n]))).toEqual({ ALLOWED: ROUNDS, DIAL_IN_PROGRESS: ROUNDS * (AGENTS - 1) });
	}, 120_000);
});
