/**
 * <Start><Transcription> on the carrier, against Twilio's real-time transcription events: signed
 * like every webhook, SequenceId from 1, the script's lines as content events at the times they
 * are said (VirtualClock), Track from the leg that ran the <Start>, and transcription-stopped
 * when the call ends.
 */
import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import type { RecordedRequest } from '../../test-http-server';
import { CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const COMMON = ['AccountSid', 'CallSid', 'TranscriptionSid', 'TranscriptionEvent', 'SequenceId', 'Timestamp'];
const ALLOWED: Record<string, string[]> = {
	'transcription-started': [...COMMON, 'Track', 'LanguageCode', 'PartialResults', 'Name'],
	'transcription-content': [...COMMON, 'Track', 'LanguageCode', 'TranscriptionData', 'Final', 'Stability'],
	'transcription-stopped': COMMON
};

const SCRIPT = [
	{ speaker: 'customer' as const, text: 'Hello, my order has not arrived.' },
	{ speaker: 'agent' as const, text: 'Sorry to hear that, let me check.' }
];

function summary(req: RecordedRequest) {
	const f = Object.fromEntries(req.form());
	const data = f.TranscriptionData ? (JSON.parse(f.TranscriptionData) as { transcript: string }) : null;
	return [Number(f.SequenceId), f.TranscriptionEvent, f.Track ?? '', data?.transcript ?? '', f.Final ?? ''];
}

async function inboundCall(startAttrs: string) {
	h = await startHarness();
	h.routes.set('/webhooks/twilio/voice', () =>
		twiml(`<Say>This call may be recorded.</Say><Start><Transcription statusCallbackUrl="/live?inbound=customer" ${startAttrs}/></Start><Dial action="/dial-done"><Client>alice</Client></Dial>`)
	);
	h.routes.set('/live', () => ({ status: 204 }));
	h.routes.set('/dial-done', () => twiml('<Hangup/>'));
	const alice = h.engine.device('alice');
	alice.register();
	let answeredAt = 0;
	alice.on('incoming', (c) => {
		c.on('accept', () => (answeredAt = h.clock.now().getTime()));
		queueMicrotask(() => c.accept());
	});
	const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER, { script: SCRIPT });
	return { call, answeredAt: () => answeredAt };
}

describe('<Start><Transcription> on the local carrier', () => {
	it('posts the script as signed content events at the times its lines are said, inbound_track for the caller', async () => {
		const { call, answeredAt } = await inboundCall('track="both_tracks" partialResults="true"');
		// The notice takes 2 s; then the <Start> runs and alice answers at once.
		await h.clock.advance(3900);
		expect(answeredAt()).toBeGreaterThan(0);
		// The caller's first words come 2 s into the bridge (0.5 s lead + half of the line's 3 s).
		expect(h.hits('/live').map(summary)).toEqual([[1, 'transcription-started', 'both_tracks', '', '']]);
		const since = (req: RecordedRequest) => new Date(req.form().get('Timestamp')!).getTime() - answeredAt();
		await h.clock.advance(1600);
		expect(h.hits('/live').map(summary).slice(1)).toEqual([
			[2, 'transcription-content', 'inbound_track', 'Hello, my order', 'false'],
			[3, 'transcription-content', 'inbound_track', 'Hello, my order has not arrived.', 'true']
		]);
		await h.clock.advance(6000);
		call.hangUp();
		await h.clock.advance(1000);
		const live = h.hits('/live');
		expect(live.map(summary)).toEqual([
			[1, 'transcription-started', 'both_tracks', '', ''],
			[2, 'transcription-content', 'inbound_track', 'Hello, my order', 'false'],
			[3, 'transcription-content', 'inbound_track', 'Hello, my order has not arrived.', 'true'],
			[4, 'transcription-content', 'outbound_track', 'Sorry to hear that,', 'false'],
			[5, 'transcription-content', 'outbound_track', 'Sorry to hear that, let me check.', 'true'],
			[6, 'transcription-stopped', '', '', '']
		]);
		expect(live.slice(0, 5).map(since)).toEqual([0, 2000, 3500, 5600, 7100]);
		const sids = new Set(live.map((r) => r.form().get('TranscriptionSid')));
		expect([...sids]).toHaveLength(1);
		expect([...sids][0]).toMatch(/^GT[0-9a-f]{32}$/);
		for (const req of live) {
			const params = Object.fromEntries(req.form());
			expect(params.CallSid).toBe(call.sid);
			expect(req.query.get('inbound')).toBe('customer');
			expect(twilio.validateRequest(TOKEN, String(req.headers['x-twilio-signature']), `${h.server.url}${req.path}?${req.query.toString()}`, params)).toBe(true);
			for (const name of Object.keys(params)) expect(ALLOWED[params.TranscriptionEvent!], `${params.TranscriptionEvent} sends ${name}`).toContain(name);
		}
		expect(JSON.parse(live[2]!.form().get('TranscriptionData')!)).toEqual({ transcript: 'Hello, my order has not arrived.', confidence: 0.95 });
		expect(h.engine.dispatcher.alerts).toEqual([]);
	});

	it('sends final lines only without partialResults, and only the chosen track', async () => {
		const { call } = await inboundCall('track="outbound_track"');
		await h.clock.advance(10_000);
		expect(h.hits('/live').map(summary)).toEqual([
			[1, 'transcription-started', 'outbound_track', '', ''],
			[2, 'transcription-content', 'outbound_track', 'Sorry to hear that, let me check.', 'true']
		]);
		call.hangUp();
		await h.clock.advance(1000);
		expect(h.hits('/live').map(summary).at(-1)).toEqual([3, 'transcription-stopped', '', '', '']);
	});

	it('says nothing more once the call ends before a line is finished', async () => {
		const { call } = await inboundCall('');
		// 2.5 s into the bridge: the caller's line ends at 3.5 s.
		await h.clock.advance(4500);
		call.hangUp();
		await h.clock.advance(10_000);
		expect(h.hits('/live').map((r) => r.form().get('TranscriptionEvent'))).toEqual(['transcription-started', 'transcription-stopped']);
	});
});
