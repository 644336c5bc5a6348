/**
 * Live transcription through the local carrier (virtual clock, signed webhooks): with
 * LIVE_TRANSCRIPTION on, a scripted caller's call starts `<Start><Transcription>`, and what each
 * side says reaches hot state and the archive labelled customer or agent.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../adapters/telephony';
import { CUSTOMER, SWITCHBOARD_NUMBER, startHarness, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import { liveTranscriptLines } from '../db/schema/transcripts';
import { setLogLevel } from '../log';
import { agentClientIdentity } from './caller-number';
import { createVoiceHarness, type VoiceHarness, answerCarrierWith } from './test-harness';
import type { VoiceServices } from './voice-services';

const SUPERVISOR = { subject: 'supervisor-1', role: 'supervisor' as const, name: 'Heidi' };

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;

beforeAll(async () => {
	carrier = await startHarness();
	h = await createVoiceHarness({ telephony: new LocalTelephony(carrier.carrier), env: { LIVE_TRANSCRIPTION: 'partial' } });
	setLogLevel('silent');
	services = { ...h.services, config: { ...h.config, publicBaseUrl: carrier.server.url } };
	answerCarrierWith(carrier, services);
}, 60_000);
afterAll(async () => {
	await carrier.close();
	await h.close();
});

describe('live transcription through the local carrier', () => {
	it("shows a scripted caller's and the agent's lines live, labelled, and archives the final ones", async () => {
		const agent = await h.addAgent(['sales'], 'Alice Moreno');
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		device.on('incoming', (call) => {
			const callSid = call.customParameters.get('callSid') ?? '';
			void h.hot.mutation(api.callLine.acceptCall, { callSid }, agent).then(() => call.accept());
		});
		const phoneCall = carrier.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER, {
			script: [
				{ speaker: 'customer', text: 'Hello, my parcel never arrived.' },
				{ speaker: 'agent', text: 'I am sorry, let me look into that.' }
			]
		});
		const shown = () => h.hot.query(api.liveTranscript.forCall, { callSid: phoneCall.sid }, SUPERVISOR);
		for (let i = 0; i < 30 && (await shown()).filter((l) => l.final).length < 2; i++) await carrier.clock.advance(1000);
		expect((await shown()).map((l) => [l.speaker, l.text, l.final])).toEqual([
			['customer', 'Hello, my parcel never arrived.', true],
			['agent', 'I am sorry, let me look into that.', true]
		]);
		// The agent on the call reads it too.
		expect(await h.hot.query(api.liveTranscript.forCall, { callSid: phoneCall.sid }, agent)).toHaveLength(2);
		phoneCall.hangUp();
		for (let i = 0; i < 3; i++) await carrier.clock.advance(1000);
		const archived = await h.testDb.db.select().from(liveTranscriptLines).where(eq(liveTranscriptLines.callSid, phoneCall.sid)).orderBy(liveTranscriptLines.sequenceId);
		expect(archived.map((l) => [l.speaker, l.text])).toEqual([
			['customer', 'Hello, my parcel never arrived.'],
			['agent', 'I am sorry, let me look into that.']
		]);
		const events = carrier.engine.dispatcher.deliveries.filter((d) => d.kind === 'realtime-transcription').map((d) => d.outcome?.ok && d.outcome.status);
		expect(events.length).toBeGreaterThanOrEqual(6);
		expect(new Set(events)).toEqual(new Set([204]));
	});
});
