import { describe, expect, it } from 'vitest';
import { conferenceTwiml, holdMusicTwiml, parseLabel } from './conference-twiml';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';

describe('conference TwiML', () => {
	it('puts the customer in with endConferenceOnExit, recording and every event', () => {
		expect(conferenceTwiml('call-CA1', 'customer')).toBe(
			`${XML}<Response><Dial><Conference participantLabel="customer" startConferenceOnEnter="true" endConferenceOnExit="true" beep="false" waitUrl="" statusCallback="/webhooks/twilio/voice/conference" statusCallbackEvent="start end join leave mute hold modify" record="record-from-start" recordingStatusCallback="/webhooks/twilio/voice/recording">call-CA1</Conference></Dial></Response>`
		);
	});

	it('lets an agent leave without ending the conference', () => {
		expect(conferenceTwiml('call-CA1', 'agent:u1')).toContain('participantLabel="agent:u1" startConferenceOnEnter="true" endConferenceOnExit="false"');
	});

	it('loops the hold music', () => {
		expect(holdMusicTwiml('/audio/hold-music.wav')).toBe(`${XML}<Response><Play loop="0">/audio/hold-music.wav</Play></Response>`);
	});

	it('reads participant labels back', () => {
		expect(parseLabel('customer')).toEqual({ kind: 'customer', id: '' });
		expect(parseLabel('supervisor:u9')).toEqual({ kind: 'supervisor', id: 'u9' });
		expect(parseLabel('external:+12125550123')).toEqual({ kind: 'external', id: '+12125550123' });
		expect(parseLabel('boss')).toBeNull();
		expect(parseLabel(undefined)).toBeNull();
	});
});
