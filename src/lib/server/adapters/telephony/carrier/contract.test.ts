/**
 * The carrier's webhooks against Twilio's documented webhook contract: every kind it sends carries Twilio's
 * parameter names (required ones present, nothing outside the documented set) and a signature
 * that twilio's own validateRequest accepts for the public URL.
 */
import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import type { WebhookKind } from './webhooks';
import { LocalCarrier } from './local-carrier';
import { ACCOUNT, CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

const GEO = ['From', 'To', 'Caller', 'Called'].flatMap((p) => ['City', 'State', 'Zip', 'Country'].map((f) => p + f));
const VOICE_REQUIRED = ['CallSid', 'AccountSid', 'From', 'To', 'CallStatus', 'ApiVersion', 'Direction', 'Caller', 'Called'];
const VOICE = [...VOICE_REQUIRED, ...GEO, 'ForwardedFrom', 'CallerName', 'ParentCallSid', 'CallToken', 'ApplicationSid'];
const REC_STATUS = ['AccountSid', 'CallSid', 'RecordingSid', 'RecordingUrl', 'RecordingStatus', 'RecordingDuration', 'RecordingChannels', 'RecordingStartTime', 'RecordingSource', 'RecordingTrack', 'ErrorCode', 'ConferenceSid'];

/** [required, allowed] parameter names per callback kind. */
const KINDS: Partial<Record<WebhookKind, [string[], string[]]>> = {
	voice: [VOICE_REQUIRED, VOICE],
	'call-status': [
		[...VOICE_REQUIRED, 'CallbackSource', 'SequenceNumber', 'Timestamp'],
		[...VOICE, 'CallbackSource', 'SequenceNumber', 'Timestamp', 'CallDuration', 'RecordingUrl', 'RecordingSid', 'RecordingDuration']
	],
	'dial-action': [
		[...VOICE_REQUIRED, 'DialCallStatus'],
		[...VOICE, 'DialCallStatus', 'DialCallSid', 'DialCallDuration', 'DialBridged', 'RecordingUrl', 'RecordingSid']
	],
	'enqueue-action': [
		[...VOICE_REQUIRED, 'QueueResult', 'QueueSid', 'QueueTime'],
		[...VOICE, 'QueueResult', 'QueueSid', 'QueueTime']
	],
	'queue-wait': [
		[...VOICE_REQUIRED, 'QueuePosition', 'QueueSid', 'QueueTime', 'AvgQueueTime', 'CurrentQueueSize', 'MaxQueueSize'],
		[...VOICE, 'QueuePosition', 'QueueSid', 'QueueTime', 'AvgQueueTime', 'CurrentQueueSize', 'MaxQueueSize']
	],
	'dial-queue-url': [
		[...VOICE_REQUIRED, 'QueueSid', 'QueueTime', 'DequeingCallSid'],
		[...VOICE, 'QueueSid', 'QueueTime', 'DequeingCallSid']
	],
	'gather-action': [[...VOICE_REQUIRED, 'Digits'], [...VOICE, 'Digits', 'FinishedOnKey']],
	'record-action': [
		[...VOICE_REQUIRED, 'RecordingUrl', 'RecordingDuration', 'Digits'],
		[...VOICE, 'RecordingUrl', 'RecordingDuration', 'RecordingSid', 'Digits']
	],
	'recording-status': [['RecordingSid', 'RecordingUrl', 'RecordingStatus', 'RecordingDuration', 'RecordingChannels', 'RecordingStartTime', 'RecordingSource'], REC_STATUS],
	transcription: [
		['TranscriptionSid', 'TranscriptionText', 'TranscriptionStatus', 'TranscriptionUrl', 'RecordingSid', 'RecordingUrl'],
		[...VOICE, 'TranscriptionSid', 'TranscriptionText', 'TranscriptionStatus', 'TranscriptionUrl', 'RecordingSid', 'RecordingUrl']
	],
	sms: [
		['MessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia', 'NumSegments'],
		// Twilio also still sends ApiVersion and the deprecated SmsSid, SmsMessageSid and SmsStatus.
		['MessageSid', 'AccountSid', 'MessagingServiceSid', 'From', 'To', 'Body', 'NumMedia', 'NumSegments', 'OptOutType', ...GEO, 'ApiVersion', 'SmsSid', 'SmsMessageSid', 'SmsStatus']
	],
	'sms-status': [
		['MessageSid', 'MessageStatus', 'AccountSid', 'From', 'To'],
		['MessageSid', 'MessageStatus', 'ErrorCode', 'RawDlrDoneDate', 'AccountSid', 'From', 'To', 'ApiVersion', 'SmsSid', 'SmsStatus']
	],
	'conference-status': [
		['ConferenceSid', 'FriendlyName', 'StatusCallbackEvent', 'SequenceNumber', 'Timestamp', 'AccountSid'],
		['ConferenceSid', 'FriendlyName', 'StatusCallbackEvent', 'CallSid', 'Hold', 'Muted', 'Coaching', 'CallSidToCoach', 'SequenceNumber', 'Timestamp', 'AccountSid', 'EndConferenceOnExit', 'StartConferenceOnEnter', 'ParticipantLabel', 'ReasonConferenceEnded', 'CallSidEndingConference']
	]
};

let harness: Harness | undefined;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

describe("carrier webhooks honour Twilio's webhook contract", () => {
	it('signs every webhook kind validly and sends only the documented parameters', async () => {
		const h = await startHarness();
		harness = h;
		h.routes.set('/webhooks/twilio/voice', (req) => {
			const from = req.form().get('From');
			if (from === 'client:agent') return twiml('<Dial action="/dial-done"><Queue url="/connect">support</Queue></Dial>');
			if (from === '+13035550199') return twiml('<Dial><Conference statusCallback="/conf" statusCallbackEvent="start end join leave">room</Conference></Dial>');
			if (from === '+16175550100')
				return twiml('<Record maxLength="10" transcribe="true" transcribeCallback="/tr" recordingStatusCallback="/rec" action="/rec-done"/>');
			return twiml('<Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather>');
		});
		h.routes.set('/menu', () => twiml('<Enqueue waitUrl="/wait" action="/left">support</Enqueue>'));
		h.routes.set('/wait', () => twiml('<Pause length="3"/>'));
		h.routes.set('/connect', () => twiml('<Say>Connecting</Say>'));
		for (const p of ['/left', '/dial-done', '/rec-done']) h.routes.set(p, () => twiml('<Hangup/>'));
		for (const p of ['/tr', '/rec', '/conf', '/sms/status']) h.routes.set(p, () => ({ status: 204 }));
		h.routes.set('/webhooks/twilio/sms', () => twiml(`<Message action="${h.server.url}/sms/status">ok</Message>`));
		h.routes.set('/webhooks/twilio/voice/status', () => ({ status: 204 }));

		const caller = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(500);
		caller.pressKeys('1');
		await h.clock.advance(8000);
		h.engine.device('agent').register();
		const agent = [...h.engine.devices.get('agent')!][0]!.connect();
		await h.clock.advance(8000);
		agent.disconnect();
		h.engine.phone('+16175550100').call(SWITCHBOARD_NUMBER, { script: [{ speaker: 'customer', text: 'Call me back please' }] });
		const conf = h.engine.phone('+13035550199').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(20_000);
		conf.hangUp();
		await h.engine.scenario.sendText({ from: CUSTOMER, to: SWITCHBOARD_NUMBER, body: 'hello' });
		await h.clock.advance(5000);

		const seen = new Set<WebhookKind>();
		for (const d of h.engine.dispatcher.deliveries) {
			expect(twilio.validateRequest(TOKEN, d.signature, d.url, d.params), `${d.kind} ${d.url}`).toBe(true);
			const rule = KINDS[d.kind];
			if (!rule) continue;
			seen.add(d.kind);
			const names = Object.keys(d.params);
			for (const required of rule[0]) expect(names, `${d.kind} lacks ${required}`).toContain(required);
			for (const name of names) expect(rule[1], `${d.kind} sends undocumented ${name}`).toContain(name);
		}
		expect([...seen].sort()).toEqual(Object.keys(KINDS).sort());
		for (const req of h.server.requests) {
			const params = Object.fromEntries(req.form());
			expect(twilio.validateRequest(TOKEN, String(req.headers['x-twilio-signature']), `${h.server.url}${req.path}`, params)).toBe(true);
		}
		expect(h.engine.dispatcher.alerts).toEqual([]);
	});

	it("reproduces Twilio's published signature vectors with the carrier's signer", () => {
		const sign = (token: string, url: string, params: Record<string, string | string[]>) =>
			new LocalCarrier({ accountSid: ACCOUNT, authToken: token, apiBaseUrl: 'http://localhost/carrier' }).sign(url, params);
		const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
		expect(sign('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
		expect(sign('12345', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params)).toBe('kvajT1Ptam85bY51eRf/AJRuM3w=');
		expect(sign('12345', 'http://mycompany.com:1234/myapp.php?foo=1&bar=2', params)).toBe('Zmvh+3yNM1Phv2jhDCwEM3q5ebU=');
		expect(sign('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] })).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
	});
});
