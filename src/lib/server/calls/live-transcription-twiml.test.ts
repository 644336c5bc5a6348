import { describe, expect, it } from 'vitest';
import { dialCustomerTwiml } from '../outbound/outbound-twiml';
import { liveTranscriptionFor } from './live-transcription-twiml';
import { routingTwiml, type RoutingTwimlInput } from './routing-twiml';

const BASE = 'https://switchboard.example.com';
const CALL = `CA${'1'.repeat(32)}`;
const offered = (transcription: RoutingTwimlInput['transcription'], notice = true): string =>
	routingTwiml({
		decision: { kind: 'offered', agentId: 'u1', agentName: 'Alice', attempts: 1 },
		callSid: CALL,
		from: '+14155550123',
		queue: { name: 'support', ringSeconds: 20 },
		caller: null,
		notice,
		transcription
	});
const DIAL_ALICE =
	'<Dial answerOnBridge="true" action="/webhooks/twilio/voice/dial-action" timeout="20" record="record-from-answer-dual" recordingStatusCallback="/webhooks/twilio/voice/recording"><Client statusCallback="/webhooks/twilio/voice/status" statusCallbackEvent="initiated ringing answered completed"><Identity>agent_u1</Identity><Parameter name="callSid" value="CA11111111111111111111111111111111"/><Parameter name="from" value="+14155550123"/><Parameter name="queue" value="support"/></Client></Dial>';
const NOTICE = '<Say>This call may be recorded for quality and training.</Say>';
const doc = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

describe('live transcription in call TwiML (LIVE_TRANSCRIPTION)', () => {
	it('is absent when the flag is off: no <Start> in the inbound or outbound TwiML', () => {
		const off = liveTranscriptionFor({ publicBaseUrl: BASE, liveTranscription: 'off' }, 'customer');
		expect(off).toBeUndefined();
		expect(offered(off)).toBe(doc(NOTICE + DIAL_ALICE));
		expect(dialCustomerTwiml({ number: '+12125550123', callerId: '+14155550100', transcription: off })).not.toContain('<Start>');
	});

	it('starts after the consent notice on the caller\'s leg, both tracks, the callback naming the customer as inbound', () => {
		const on = liveTranscriptionFor({ publicBaseUrl: BASE, liveTranscription: 'final' }, 'customer');
		expect(offered(on)).toBe(
			doc(
				NOTICE +
					'<Start><Transcription statusCallbackUrl="https://switchboard.example.com/webhooks/twilio/voice/transcription?inbound=customer" track="both_tracks" partialResults="false"/></Start>' +
					DIAL_ALICE
			)
		);
	});

	it('is started once per call: a re-route (no notice) adds no second <Start>', () => {
		const on = liveTranscriptionFor({ publicBaseUrl: BASE, liveTranscription: 'partial' }, 'customer');
		expect(offered(on, false)).toBe(doc(DIAL_ALICE));
	});

	it('starts on the agent\'s leg before the Dial of an outbound call, with partial results when asked', () => {
		const on = liveTranscriptionFor({ publicBaseUrl: BASE, liveTranscription: 'partial' }, 'agent');
		expect(dialCustomerTwiml({ number: '+12125550123', callerId: '+14155550100', transcription: on })).toBe(
			doc(
				'<Start><Transcription statusCallbackUrl="https://switchboard.example.com/webhooks/twilio/voice/transcription?inbound=agent" track="both_tracks" partialResults="true"/></Start>' +
					'<Dial callerId="+14155550100" action="/webhooks/twilio/voice/outbound/dial-action" timeout="30" record="record-from-answer-dual" recordingStatusCallback="/webhooks/twilio/voice/recording"><Number url="/webhooks/twilio/voice/outbound/notice" statusCallback="/webhooks/twilio/voice/outbound/status" statusCallbackEvent="initiated ringing answered completed">+12125550123</Number></Dial>'
			)
		);
	});
});
