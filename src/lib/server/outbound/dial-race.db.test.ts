/**
 * No double-dial, asserted where it matters: at the carrier. 20 agents' softphones connect to one
 * number at the same moment through the local carrier (its Device.connect posts a signed
 * Client-originated call to the TwiML App's voice URL, the outbound route runs hot state's
 * claimDial and the gate's transaction, and the carrier runs whatever TwiML comes back), 200
 * rounds. Each round the carrier holds exactly one outbound leg to the number (the other 19 are
 * refused DIAL_IN_PROGRESS before any carrier request) and every refusal is kept as an attempt.
 * One services instance for all rounds; each round the winner hangs up while the customer's
 * phone rings and saves the wrap-up, so the number and the agent are free again. dial-claim-race.test.ts runs the deciding
 * mutation alone.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../adapters/telephony';
import { startHarness, SWITCHBOARD_NUMBER, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import type { DeviceCall } from '../adapters/telephony/carrier/parties';
import { agentClientIdentity } from '../calls/caller-number';
import { createVoiceHarness, SALES_NUMBER, type VoiceHarness, answerCarrierWith } from '../calls/test-harness';
import { VOICE_PATHS } from '../calls/voice-paths';
import type { VoiceServices } from '../calls/voice-services';
import { calls } from '../db/schema/calls';
import { outboundAttempts } from '../db/schema/compliance';
import { SYSTEM_IDENTITY, type Identity } from '../live/hot';
import { setLogLevel } from '../log';

const AGENTS = 20;
/**
 * 200 rounds on PGlite (the default suite). The race is decided in hot state, the archive only
 * records the attempts, so the PostgreSQL pass (`npm run test:db:pg`) runs 25 rounds of the same
 * path to prove the archive side there without doubling the suite's longest file.
 */
const ROUNDS = process.env.DATABASE_URL ? 25 : 200;
const NUMBER = '+12125550123';

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;
let agents: Identity[];
/** Every status Switchboard answered the carrier with. */
const answered: number[] = [];
/** How many softphone dials the outbound route has answered. */
let dialsAnswered = 0;

beforeAll(async () => {
	// The TwiML App's voice URL is the outbound route, as deployed.
	// A loaded test machine must not turn into carrier timeouts: Twilio's 15 s limit is not what this test is about.
	carrier = await startHarness({ applicationVoiceUrl: VOICE_PATHS.outbound, webhookTimeoutMs: 300_000 });
	// Midday in New York, and no re-call gap: only hot state stands between the 20 dials.
	h = await createVoiceHarness({
		telephony: new LocalTelephony(carrier.carrier),
		env: { OUTBOUND_CLOCK_START: '2026-12-07T17:00:00Z', OUTBOUND_RULES: '{"recallGapMinutes":0}' }
	});
	setLogLevel('silent');
	services = { ...h.services, config: { ...h.config, publicBaseUrl: carrier.server.url } };
	answerCarrierWith(carrier, services, (status, path) => {
		answered.push(status);
		if (path === VOICE_PATHS.outbound) dialsAnswered += 1;
	});
	agents = [];
	for (let i = 0; i < AGENTS; i++) agents.push(await h.addAgent(['sales'], `Racer ${i}`));
	// The customer's phone rings and nobody answers: the one leg stays live until its agent hangs up, so every dial of a
	// round overlaps it (a line that ended at once would free the number mid-round and let a later dial through, rightly).
	carrier.engine.phone(NUMBER);
}, 120_000);
afterAll(async () => {
	await carrier.close();
	await h.close();
});

/** The carrier's outbound legs to the number, ever. */
const legsToNumber = () => [...carrier.carrier.calls.values()].filter((c) => c.direction === 'outbound-dial' && c.to === NUMBER);

describe('20 agents dialling one number at once, through the carrier', () => {
	it(`give exactly one outbound leg at the carrier, ${ROUNDS} rounds`, async () => {
		expect(SALES_NUMBER).toBe(SWITCHBOARD_NUMBER);
		const devices = agents.map((a) => {
			const device = carrier.engine.device(agentClientIdentity(a.subject));
			device.register();
			return device;
		});
		for (let round = 0; round < ROUNDS; round++) {
			const before = legsToNumber().length;
			const answeredBefore = dialsAnswered;
			const placed: DeviceCall[] = devices.map((d) => d.connect({ params: { To: NUMBER } }));
			// Every dial answered by the route, and every refused softphone call ended by the carrier.
			await carrier.clock
				.until(() => dialsAnswered - answeredBefore >= AGENTS && placed.filter((c) => c.status() !== 'closed').length <= legsToNumber().length - before, 120_000)
				.catch((error: unknown) => {
					const states = placed.map((c) => c.status()).join(' ');
					throw new Error(`round ${round}: ${dialsAnswered - answeredBefore} dials answered, calls ${states}, ${legsToNumber().length - before} legs (${String(error)})`);
				});
			const legs = legsToNumber().slice(before);
			expect(legs, `round ${round}: legs to ${NUMBER} at the carrier`).toHaveLength(1);
			const [leg] = legs;
			const winner = placed.findIndex((c) => c.sid === leg?.parentCallSid);
			expect(winner, `round ${round}: the leg's parent is one of the 20 dials`).toBeGreaterThanOrEqual(0);
			expect(placed.filter((c) => c.status() === 'closed'), `round ${round}: refused dials ended`).toHaveLength(AGENTS - 1);
			// The agent gives up while it rings: the leg is canceled and the number is free again.
			placed[winner]!.disconnect();
			await carrier.clock.until(() => carrier.carrier.fetchCall(leg!.sid).status !== 'ringing' && placed[winner]!.status() === 'closed', 120_000);
			// Its agent saves the wrap-up: the agent is free for the next round (the number was freed when the call ended).
			await h.hot.mutation(api.callWrapup.finishWrapup, { callSid: placed[winner]!.sid, agentId: agents[winner]!.subject }, SYSTEM_IDENTITY);
		}
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
		const db = h.testDb.db;
		const [archived] = await db
			.select({ n: count() })
			.from(calls)
			.where(and(eq(calls.toE164, NUMBER), eq(calls.direction, 'outbound')));
		expect(archived?.n).toBe(ROUNDS);
		const byCode = await db
			.select({ code: outboundAttempts.code, n: count() })
			.from(outboundAttempts)
			.where(eq(outboundAttempts.toPhone, NUMBER))
			.groupBy(outboundAttempts.code);
		expect(Object.fromEntries(byCode.map((r) => [r.code, r.n]))).toEqual({ ALLOWED: ROUNDS, DIAL_IN_PROGRESS: ROUNDS * (AGENTS - 1) });
	}, 3_600_000);
});
