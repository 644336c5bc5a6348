import { describe, expect, it } from 'vitest';
import { TwimlError, elementsOf, parseVoiceTwiml, parseXml, textOf } from './twiml';

const code = (fn: () => unknown) => {
	try {
		fn();
		return null;
	} catch (err) {
		return err instanceof TwimlError ? err.code : 'other';
	}
};

describe('TwiML parser', () => {
	it("parses twilio-node's output for the call-center documents", () => {
		const root = parseVoiceTwiml(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Dial answerOnBridge="true" action="/voice/dial-status" timeout="20"><Client statusCallback="/voice/status" statusCallbackEvent="initiated ringing answered completed"><Identity>agent_alice</Identity><Parameter name="queue" value="sales"/></Client></Dial></Response>'
		);
		const dial = elementsOf(root)[0]!;
		expect(dial.attrs).toEqual({ answerOnBridge: 'true', action: '/voice/dial-status', timeout: '20' });
		const client = elementsOf(dial)[0]!;
		expect(textOf(elementsOf(client)[0]!)).toBe('agent_alice');
		expect(elementsOf(client)[1]!.attrs).toEqual({ name: 'queue', value: 'sales' });
	});

	it('decodes entities, CDATA and comments', () => {
		const root = parseXml("<Response><!-- hi --><Say>Tom &amp; Jerry&#39;s &#x41;<![CDATA[ <raw> ]]></Say><Pause length='2'/></Response>");
		expect(textOf(elementsOf(root)[0]!)).toBe("Tom & Jerry's A <raw>");
		expect(elementsOf(root)[1]!.attrs.length).toBe('2');
	});

	it('refuses malformed documents and unknown verbs with 12100', () => {
		expect(code(() => parseVoiceTwiml('<Response><Say>hi</Response>'))).toBe(12100);
		expect(code(() => parseVoiceTwiml('<Response><Say>&nbsp;</Say></Response>'))).toBe(12100);
		expect(code(() => parseVoiceTwiml('<Response/><Response/>'))).toBe(12100);
		expect(code(() => parseVoiceTwiml('<Reply/>'))).toBe(12100);
		expect(code(() => parseVoiceTwiml('<Response><Dance/></Response>'))).toBe(12100);
		expect(code(() => parseVoiceTwiml('<Response><Dial><Phone>+1</Phone></Dial></Response>'))).toBe(12100);
		expect(code(() => parseVoiceTwiml('not xml at all'))).toBe(12100);
		expect(code(() => parseVoiceTwiml(''))).toBe(12100);
		expect(code(() => parseVoiceTwiml('<Response><Say a="1" a="2">x</Say></Response>'))).toBe(12100);
		expect(code(() => parseVoiceTwiml(`<Response><Dial>${'<Client>a</Client>'.repeat(11)}</Dial></Response>`))).toBe(12100);
		expect(code(() => parseVoiceTwiml('<Response/>'))).toBeNull();
	});
});
