import { describe, expect, it } from 'vitest';
import { dialClient, dialQueue, enqueue, hangup, leave, pause, record, reject, response, say } from './twiml';

const doc = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

describe("TwiML builders (Twilio's documented TwiML, twilio-node 6 as the oracle)", () => {
	it('dials one agent client with parameters, action and ring timeout', () => {
		const xml = response(
			dialClient({
				answerOnBridge: true,
				action: '/voice/dial-status',
				timeoutSeconds: 20,
				statusCallback: '/voice/status',
				statusCallbackEvent: 'initiated ringing answered completed',
				identity: 'agent_alice',
				parameters: { queue: 'sales' }
			})
		);
		expect(xml).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Dial answerOnBridge="true" action="/voice/dial-status" timeout="20"><Client statusCallback="/voice/status" statusCallbackEvent="initiated ringing answered completed"><Identity>agent_alice</Identity><Parameter name="queue" value="sales"/></Client></Dial></Response>'
		);
	});

	it('records both channels from answer, after the consent notice', () => {
		const xml = response(
			say('This call may be recorded.'),
			dialClient({ answerOnBridge: true, action: '/a', timeoutSeconds: 15, record: 'record-from-answer-dual', identity: 'agent_bob' })
		);
		expect(xml).toBe(
			doc(
				'<Say>This call may be recorded.</Say><Dial answerOnBridge="true" action="/a" timeout="15" record="record-from-answer-dual"><Client><Identity>agent_bob</Identity></Client></Dial>'
			)
		);
	});

	it('escapes parameter values and text exactly as xmlbuilder does', () => {
		const xml = response(
			say(`A & B <c> "q" 's'`),
			dialClient({ action: '/a?x=1&y="2"', identity: 'agent_a&b', parameters: { n: `O'Brien & "Co" <x>\n` } })
		);
		expect(xml).toBe(
			doc(
				`<Say>A &amp; B &lt;c&gt; "q" 's'</Say><Dial action="/a?x=1&amp;y=&quot;2&quot;"><Client><Identity>agent_a&amp;b</Identity><Parameter name="n" value="O'Brien &amp; &quot;Co&quot; &lt;x>&#xA;"/></Client></Dial>`
			)
		);
	});

	it('gives the consent notice then enqueues with waitUrl and action', () => {
		expect(response(say('This call may be recorded.'), enqueue('support', { waitUrl: '/voice/wait', action: '/voice/enqueue-done' }))).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Say>This call may be recorded.</Say><Enqueue waitUrl="/voice/wait" action="/voice/enqueue-done">support</Enqueue></Response>'
		);
	});

	it('dials a queue', () => {
		expect(response(dialQueue('support', { url: '/voice/about-to-connect' }))).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Queue url="/voice/about-to-connect">support</Queue></Dial></Response>'
		);
	});

	it('takes a voicemail', () => {
		const xml = response(
			say('Leave a message'),
			record({
				maxLength: 120,
				playBeep: true,
				transcribe: true,
				transcribeCallback: '/vm/transcription',
				recordingStatusCallback: '/vm/recording',
				recordingStatusCallbackEvent: 'completed absent',
				action: '/vm/done'
			})
		);
		expect(xml).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Say>Leave a message</Say><Record maxLength="120" playBeep="true" transcribe="true" transcribeCallback="/vm/transcription" recordingStatusCallback="/vm/recording" recordingStatusCallbackEvent="completed absent" action="/vm/done"/></Response>'
		);
	});

	it('rejects, hangs up, pauses, leaves, and answers empty', () => {
		expect(response(reject())).toBe(doc('<Reject/>'));
		expect(response(reject('busy'))).toBe(doc('<Reject reason="busy"/>'));
		expect(response(hangup())).toBe(doc('<Hangup/>'));
		expect(response(say('hi', { voice: 'alice' }), pause(2), leave())).toBe(doc('<Say voice="alice">hi</Say><Pause length="2"/><Leave/>'));
		expect(response()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
	});
});
