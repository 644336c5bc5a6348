/**
 * The TwiML the inbound SMS webhook answers with: one `<Message>` carrying the reply from
 * receiveInboundSms, or an empty `<Response/>`. Byte for byte what twilio-node's
 * MessagingResponse prints, so tests compare exact strings.
 */

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** XML text escaping as twilio-node's builder does it (&, <, >; quotes are fine in text nodes). */
function escapeText(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function messagingReplyTwiml(reply: string | null): string {
	if (reply === null || reply === '') return `${HEAD}<Response/>`;
	return `${HEAD}<Response><Message>${escapeText(reply)}</Message></Response>`;
}
