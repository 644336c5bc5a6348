import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { messagingReplyTwiml } from './messaging-twiml';
import { replies } from './receive-inbound-sms';

/** twilio-node is the oracle; tests may import it (only production code outside adapters may not). */
function oracle(reply: string | null): string {
	const response = new twilio.twiml.MessagingResponse();
	if (reply) response.message(reply);
	return response.toString();
}

describe('messagingReplyTwiml', () => {
	it('answers an empty Response when there is nothing to say', () => {
		expect(messagingReplyTwiml(null)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
		expect(messagingReplyTwiml(null)).toBe(oracle(null));
	});

	it.each([replies.optOut('Acme & Sons'), replies.optIn('Acme'), replies.help('<Acme> "Support"'), "It's 5 > 3 & 2 < 4"])(
		'matches twilio-node for %j',
		(reply) => {
			expect(messagingReplyTwiml(reply)).toBe(oracle(reply));
		}
	);

	it('escapes markup in the reply', () => {
		expect(messagingReplyTwiml('<b>&</b>')).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Message>&lt;b&gt;&amp;&lt;/b&gt;</Message></Response>'
		);
	});
});
