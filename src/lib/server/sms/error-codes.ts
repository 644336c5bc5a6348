/** What a carrier error code on a text means, in words an agent can act on. */
import { SMS_BODY_MAX } from '../../sms/limits';

const EXPLANATIONS: Record<number, string> = {
	21211: 'The number is not a valid phone number; check it and send again.',
	21408: 'Texting this country is not enabled on our account; ask an admin to enable the region.',
	21610: 'The recipient replied STOP to this number and is unsubscribed; they must text START to receive messages.',
	21612: 'Our number cannot text this recipient (the carrier does not support this route).',
	21614: 'The number is not a mobile number and cannot receive texts.',
	21617: `The message is longer than ${SMS_BODY_MAX.toLocaleString('en-US')} characters; shorten it.`,
	30001: 'The carrier queue overflowed; the message was not sent. Try again in a moment.',
	30002: 'Our messaging account is suspended; tell an admin.',
	30003: "The recipient's phone is unreachable (switched off or out of coverage).",
	30004: 'The recipient blocked messages from us, or their carrier blocked it.',
	30005: 'The number does not exist or is no longer in service.',
	30006: 'The number is a landline or cannot receive texts.',
	30007: 'The carrier filtered the message as spam; rephrase it without links or all caps.',
	30008: 'Delivery failed for an unknown reason at the carrier; try again later.',
	30032: 'Our toll-free number is not verified for texting; tell an admin.',
	30034: 'Our number is not registered for US texting (A2P 10DLC); tell an admin.'
};

/** A sentence for `code`, or a generic one naming the code when we do not know it. */
export function explainErrorCode(code: number | null | undefined): string | null {
	if (code === null || code === undefined) return null;
	return EXPLANATIONS[code] ?? `The carrier could not deliver the message (error ${code}).`;
}
