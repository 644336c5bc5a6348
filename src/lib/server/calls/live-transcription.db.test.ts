import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { liveTranscriptLines } from '../db/schema/transcripts';
import { liveLinesOfCall } from '../transcripts/live-lines';
import { webhookDeliveries } from '../db/schema/webhooks';
import { agentClientIdentity } from './caller-number';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from './test-harness';
import { signedRequest } from '../webhooks/test-requests';
import { transcriptionWebhook } from './live-transcription-webhook';
import { VOICE_PATHS } from './voice-paths';

const SUPERVISOR = { subject: 'supervisor-1', role: 'supervisor' as const, name: 'Heidi' };
const CUSTOMER_INBOUND = `${VOICE_PATHS.transcription}?inbound=customer`;

let h: VoiceHarness;
beforeAll(async () => {
	h = await createVoiceHarness({ env: { LIVE_TRANSCRIPTION: 'partial' } });
}, 60_000);
afterAll(() => h.close());

let gtCounter = 0;
const newTranscriptionSid = () => `GT${(++gtCounter).toString(16).padStart(32, '0')}`;

function event(callSid: string, gt: string, sequenceId: number, extra: Record<string, string>) {
	return { AccountSid: ACCOUNT_SID, CallSid: callSid, TranscriptionSid: gt, SequenceId: String(sequenceId), Timestamp: new Date(1_800_000_000_000 + sequenceId * 1000).toISOString(), ...extra };
}
const content = (callSid: string, gt: string, seq: number, track: 'inbound_track' | 'outbound_track', transcript: string, final: boolean) =>
	event(callSid, gt, seq, {
		TranscriptionEvent: 'transcription-content',
		LanguageCode: 'en-US',
		Track: track,
		Final: String(final),
		TranscriptionData: JSON.stringify({ transcript, confidence: 0.91 })
	});

const shown = (callSid: string) => h.hot.query(api.liveTranscript.forCall, { callSid }, SUPERVISOR);
const archived = (callSid: string) =>
	h.testDb.db.select().from(liveTranscriptLines).where(eq(liveTranscriptLines.callSid, callSid)).orderBy(liveTranscriptLines.sequenceId);

describe('POST /webhooks/twilio/voice/transcription', () => {
	it('refuses a bad signature with 403 and writes nothing', async () => {
		const callSid = newCallSid();
		const before = await h.counts();
		const res = await h.post(CUSTOMER_INBOUND, content(callSid, newTranscriptionSid(), 1, 'inbound_track', 'Hello.', true), { signature: 'bm90IGEgc2lnbmF0dXJl' });
		expect(res.status).toBe(403);
		expect(await h.counts()).toEqual(before);
		expect(await archived(callSid)).toEqual([]);
		expect(await shown(callSid)).toEqual([]);
	});

	it('refuses a signed URL whose inbound speaker was changed (the query string is signed)', async () => {
		const callSid = newCallSid();
		const params = content(callSid, newTranscriptionSid(), 1, 'inbound_track', 'Hello.', true);
		const signed = signedRequest(h.adapters.telephony, { path: CUSTOMER_INBOUND, params, publicBaseUrl: h.config.publicBaseUrl });
		const tampered = new Request(signed.request.url.replace('inbound=customer', 'inbound=agent'), {
			method: 'POST',
			headers: signed.request.headers,
			body: await signed.request.text()
		});
		const res = await transcriptionWebhook(h.services, tampered, new URL(tampered.url));
		expect(res.status).toBe(403);
	});

	it('labels each track by who speaks on it, archives final lines once and deduplicates a replay', async () => {
		const callSid = newCallSid();
		const gt = newTranscriptionSid();
		expect((await h.post(CUSTOMER_INBOUND, event(callSid, gt, 1, { TranscriptionEvent: 'transcription-started' }))).status).toBe(204);
		const hello = content(callSid, gt, 2, 'inbound_track', 'Hi, my card is 4111 1111 1111 1111.', true);
		expect((await h.post(CUSTOMER_INBOUND, hello)).status).toBe(204);
		expect((await h.post(CUSTOMER_INBOUND, content(callSid, gt, 3, 'outbound_track', 'How can I help?', true))).status).toBe(204);
		// The carrier retries the same delivery: nothing more is written.
		const deliveriesBefore = (await h.testDb.db.select().from(webhookDeliveries)).length;
		expect((await h.post(CUSTOMER_INBOUND, hello)).status).toBe(204);
		expect((await h.testDb.db.select().from(webhookDeliveries)).length).toBe(deliveriesBefore);

		const lines = await archived(callSid);
		expect(lines.map((l) => [l.sequenceId, l.speaker, l.text])).toEqual([
			[2, 'customer', 'Hi, my card is #### #### #### ####.'],
			[3, 'agent', 'How can I help?']
		]);
		expect(lines[0]?.confidence).toBeCloseTo(0.91);
		expect(lines[0]?.spokenAt.toISOString()).toBe(new Date(1_800_000_002_000).toISOString());
		expect((await shown(callSid)).map((l) => [l.speaker, l.text, l.final])).toEqual([
			['customer', 'Hi, my card is #### #### #### ####.', true],
			['agent', 'How can I help?', true]
		]);
	});

	it('on an outbound call (inbound=agent) the inbound track is the agent', async () => {
		const callSid = newCallSid();
		const gt = newTranscriptionSid();
		await h.post(`${VOICE_PATHS.transcription}?inbound=agent`, content(callSid, gt, 1, 'inbound_track', 'Hello, this is Alice.', true));
		await h.post(`${VOICE_PATHS.transcription}?inbound=agent`, content(callSid, gt, 2, 'outbound_track', 'Oh hi.', true));
		expect((await shown(callSid)).map((l) => l.speaker)).toEqual(['agent', 'customer']);
	});

	it('orders lines by SequenceId when they arrive out of order; partial words are shown, not archived, and give way to the final line', async () => {
		const callSid = newCallSid();
		const gt = newTranscriptionSid();
		await h.post(CUSTOMER_INBOUND, content(callSid, gt, 5, 'outbound_track', 'Let me check that.', true));
		await h.post(CUSTOMER_INBOUND, content(callSid, gt, 3, 'inbound_track', 'My parcel', false));
		await h.post(CUSTOMER_INBOUND, content(callSid, gt, 2, 'inbound_track', 'My', false));
		expect((await shown(callSid)).map((l) => [l.sequenceId, l.text, l.final])).toEqual([
			[3, 'My parcel', false],
			[5, 'Let me check that.', true]
		]);
		await h.post(CUSTOMER_INBOUND, content(callSid, gt, 4, 'inbound_track', 'My parcel is late.', true));
		expect((await shown(callSid)).map((l) => [l.sequenceId, l.speaker, l.text, l.final])).toEqual([
			[4, 'customer', 'My parcel is late.', true],
			[5, 'agent', 'Let me check that.', true]
		]);
		expect((await archived(callSid)).map((l) => l.sequenceId)).toEqual([4, 5]);
		// As the post-call transcript can read them: in SequenceId order, seconds from the first line.
		expect(await liveLinesOfCall(h.testDb.db, callSid)).toEqual([
			{ speaker: 'customer', at: 0, text: 'My parcel is late.' },
			{ speaker: 'agent', at: 1, text: 'Let me check that.' }
		]);
		await h.post(CUSTOMER_INBOUND, content(callSid, gt, 6, 'inbound_track', 'And', false));
		await h.post(CUSTOMER_INBOUND, event(callSid, gt, 7, { TranscriptionEvent: 'transcription-stopped' }));
		expect((await shown(callSid)).map((l) => l.text)).toEqual(['My parcel is late.', 'Let me check that.']);
	});

	it('answers 400 for a content event without its track or with TranscriptionData that is not JSON', async () => {
		const callSid = newCallSid();
		const gt = newTranscriptionSid();
		const noTrack = content(callSid, gt, 1, 'inbound_track', 'x', true) as Record<string, string>;
		delete noTrack.Track;
		expect((await h.post(CUSTOMER_INBOUND, noTrack)).status).toBe(400);
		expect((await h.post(CUSTOMER_INBOUND, { ...content(callSid, gt, 2, 'inbound_track', 'x', true), TranscriptionData: 'not json' })).status).toBe(400);
		expect((await h.post(`${VOICE_PATHS.transcription}?inbound=bot`, content(callSid, gt, 3, 'inbound_track', 'x', true))).status).toBe(400);
		expect(await archived(callSid)).toEqual([]);
	});

	it('starts the transcription in the incoming call\'s TwiML when LIVE_TRANSCRIPTION is on', async () => {
		const agent = await h.addAgent(['sales']);
		await h.addQueue('+14155550177', 'live-sales', ['sales']);
		const res = await h.post(VOICE_PATHS.incoming, {
			CallSid: newCallSid(),
			AccountSid: ACCOUNT_SID,
			From: '+12125550177',
			To: '+14155550177',
			CallStatus: 'ringing',
			Direction: 'inbound'
		});
		const xml = await res.text();
		expect(xml).toContain(
			'<Say>This call may be recorded for quality and training.</Say><Start><Transcription statusCallbackUrl="https://switchboard.example.com/webhooks/twilio/voice/transcription?inbound=customer" track="both_tracks" partialResults="true"/></Start><Dial'
		);
		expect(xml).toContain(`<Identity>${agentClientIdentity(agent.subject)}</Identity>`);
	});
});
