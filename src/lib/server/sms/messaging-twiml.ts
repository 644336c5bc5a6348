/**
 * The TwiML the inbound SMS webhook answers with: one `<Message>` carrying the reply from
 * receiveInboundSms, or an empty `<Response/>`. Built by twilio-node's MessagingResponse (a pure
 * builder the dependency rules allow in domain code), so tests compare exact strings.
 */
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';

export function messagingReplyTwiml(reply: string | null): string {
	const twiml = new MessagingResponse();
	if (reply !== null && reply !== '') twiml.message(reply);
	return twiml.toString();
}
