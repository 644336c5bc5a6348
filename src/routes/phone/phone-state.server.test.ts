import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalTelephony } from '$lib/server/adapters/telephony';
import { CUSTOMER, SWITCHBOARD_NUMBER, startHarness, twiml, type Harness } from '$lib/server/adapters/telephony/carrier/test-switchboard';
import { setLogLevel } from '$lib/server/log';
import type { PhoneSnapshot } from './phone-types';
import { watchPhone } from './phone-state.server';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const until = async (check: () => boolean) => {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
	expect(check()).toBe(true);
};

describe('customer phone snapshots', () => {
	it("shows a sent text with Switchboard's answer and a valid signature, the reply, and a call with what the caller heard", async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/sms', () => '<Response><Message>Thanks, we are on it.</Message></Response>');
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Say>Welcome to Switchboard.</Say><Hangup/>'));
		const snapshots: PhoneSnapshot[] = [];
		const stop = watchPhone(h.engine, new LocalTelephony(h.carrier), CUSTOMER, (s) => snapshots.push(s));
		expect(snapshots[0]).toEqual({ number: CUSTOMER, calls: [], texts: [] });

		await h.engine.scenario.sendText({ from: CUSTOMER, to: SWITCHBOARD_NUMBER, body: 'Where is my order?' });
		await until(() => (snapshots.at(-1)?.texts.length ?? 0) >= 1 && snapshots.at(-1)?.texts[0]?.delivery !== null);
		expect(snapshots.at(-1)?.texts[0]).toMatchObject({
			direction: 'sent',
			body: 'Where is my order?',
			delivery: { method: 'POST', status: 200, errorCode: null, signatureValid: true, viaFallback: false }
		});
		expect(snapshots.at(-1)?.texts[0]?.delivery?.url).toMatch(/\/webhooks\/twilio\/sms$/);

		await h.clock.advance(2000);
		await until(() => snapshots.at(-1)?.texts.some((t) => t.direction === 'received') ?? false);
		expect(snapshots.at(-1)?.texts.find((t) => t.direction === 'received')).toMatchObject({ body: 'Thanks, we are on it.', status: 'delivered' });

		h.engine.scenario.placeCall({ from: CUSTOMER, to: SWITCHBOARD_NUMBER });
		await h.clock.advance(3000);
		await until(() => snapshots.at(-1)?.calls[0]?.status === 'completed');
		expect(snapshots.at(-1)?.calls[0]).toMatchObject({ direction: 'outgoing', to: SWITCHBOARD_NUMBER, heard: ['Welcome to Switchboard.'] });
		stop();
	});

	it('says when the caller waits in a queue and when an agent is on the line', async () => {
		h = await startHarness();
		let agentFree = false;
		h.routes.set('/webhooks/twilio/voice', () =>
			twiml(agentFree ? '<Dial><Client>agent_a</Client></Dial>' : '<Say>Please hold.</Say><Enqueue waitUrl="/wait">support</Enqueue>')
		);
		h.routes.set('/wait', () => twiml('<Play>/audio/hold-music.wav</Play>'));
		const snapshots: PhoneSnapshot[] = [];
		const stop = watchPhone(h.engine, new LocalTelephony(h.carrier), CUSTOMER, (s) => snapshots.push(s));
		const waiting = h.engine.scenario.placeCall({ from: CUSTOMER, to: SWITCHBOARD_NUMBER });
		/** Run the virtual clock until `check` holds (webhooks are real HTTP, so let them land between steps). */
		const runUntil = async (check: () => boolean) => {
			for (let i = 0; i < 40 && !check(); i++) {
				await h.clock.advance(250);
				await new Promise((r) => setTimeout(r, 10));
			}
			await until(check);
		};
		await runUntil(() => snapshots.at(-1)?.calls[0]?.heard.some((l) => l.includes('hold-music.wav')) ?? false);
		expect(snapshots.at(-1)?.calls[0]).toMatchObject({ status: 'in-progress', bridged: false, queue: 'support' });
		expect(snapshots.at(-1)?.calls[0]?.heard).toEqual(expect.arrayContaining(['Please hold.', expect.stringMatching(/^\[play .*hold-music\.wav\]$/)]));
		h.engine.scenario.hangUp(waiting.sid);

		agentFree = true;
		h.engine.scenario.agent('agent_a');
		const talking = h.engine.scenario.placeCall({ from: CUSTOMER, to: SWITCHBOARD_NUMBER });
		let answered = false;
		await runUntil(() => (answered ||= h.engine.scenario.answerAs('agent_a') !== null));
		await runUntil(() => snapshots.at(-1)?.calls[0]?.bridged === true);
		expect(snapshots.at(-1)?.calls[0]).toMatchObject({ sid: talking.sid, status: 'in-progress', bridged: true, queue: null });
		stop();
	});

	it('says when the caller is on hold in a conference and hears hold music, and when the agent is back', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Dial><Conference participantLabel="customer" beep="false" waitUrl="">call-1</Conference></Dial>'));
		const snapshots: PhoneSnapshot[] = [];
		const stop = watchPhone(h.engine, new LocalTelephony(h.carrier), CUSTOMER, (s) => snapshots.push(s));
		const caller = h.engine.scenario.placeCall({ from: CUSTOMER, to: SWITCHBOARD_NUMBER });
		await h.clock.advance(1000);
		await until(() => snapshots.at(-1)?.calls[0]?.conference !== null && snapshots.at(-1)?.calls[0]?.conference !== undefined);
		expect(snapshots.at(-1)?.calls[0]).toMatchObject({ sid: caller.sid, bridged: true, conference: { onHold: false, hearsHoldMusic: false } });
		h.engine.updateParticipant('call-1', 'customer', { hold: true });
		await until(() => snapshots.at(-1)?.calls[0]?.conference?.hearsHoldMusic === true);
		expect(snapshots.at(-1)?.calls[0]).toMatchObject({ bridged: false, conference: { onHold: true }, heard: ['[hold music]'] });
		h.engine.updateParticipant('call-1', 'customer', { hold: false });
		await until(() => snapshots.at(-1)?.calls[0]?.conference?.onHold === false);
		expect(snapshots.at(-1)?.calls[0]?.bridged).toBe(true);
		stop();
	});

	it('shows a refused delivery with its status and Twilio error code', async () => {
		h = await startHarness();
		const snapshots: PhoneSnapshot[] = [];
		const stop = watchPhone(h.engine, new LocalTelephony(h.carrier), CUSTOMER, (s) => snapshots.push(s));
		await h.engine.scenario.sendText({ from: CUSTOMER, to: SWITCHBOARD_NUMBER, body: 'Hello?' });
		await until(() => snapshots.at(-1)?.texts[0]?.delivery != null);
		expect(snapshots.at(-1)?.texts[0]?.delivery).toMatchObject({ status: 404, errorCode: 11217, signatureValid: true });
		stop();
	});
});
