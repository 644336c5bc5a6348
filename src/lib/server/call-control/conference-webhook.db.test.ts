/** The conference webhook: signed like every Twilio webhook, and a replayed delivery changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceHarness, type VoiceHarness } from '../calls/test-harness';
import { setLogLevel } from '../log';
import { CONFERENCE_PATHS } from './conference-twiml';

let h: VoiceHarness;
beforeAll(async () => {
	h = await createVoiceHarness();
	setLogLevel('silent');
}, 60_000);
afterAll(async () => {
	await h.close();
});

const event = {
	AccountSid: `AC${'5'.repeat(32)}`,
	ConferenceSid: `CF${'1'.repeat(32)}`,
	FriendlyName: `call-CA${'2'.repeat(32)}`,
	StatusCallbackEvent: 'participant-join',
	CallSid: `CA${'2'.repeat(32)}`,
	ParticipantLabel: 'customer',
	Hold: 'false',
	Muted: 'false',
	Coaching: 'false',
	SequenceNumber: '3'
};

describe('POST /webhooks/twilio/voice/conference', () => {
	it('refuses an unsigned request', async () => {
		const res = await h.post(CONFERENCE_PATHS.events, event, { signature: null });
		expect(res.status).toBe(403);
	});

	it('records a delivery once; its replay is accepted and does nothing more', async () => {
		const before = await h.counts();
		expect((await h.post(CONFERENCE_PATHS.events, event)).status).toBe(204);
		const once = await h.counts();
		expect((await h.post(CONFERENCE_PATHS.events, event)).status).toBe(204);
		expect(once.deliveries).toBe(before.deliveries + 1);
		expect(await h.counts()).toEqual(once);
	});

	it('refuses a malformed event with 400', async () => {
		expect((await h.post(CONFERENCE_PATHS.events, { ...event, StatusCallbackEvent: 'party-time' })).status).toBe(400);
	});
});
