/**
 * Texts: a phone texting a number (messaging webhook, Twilio's opt-out keywords, the TwiML
 * reply), and outbound texts delivered to phones with their statuses.
 */
import { AdapterError } from '../../errors';
import type { LocalMessage, SignedCallback } from './local-carrier';
import { numberConfig } from './numbers';
import { inboundSmsParams } from './params';
import { CustomerPhone, type PhoneAttachment, type PhoneText } from './parties';
import type { EngineState } from './state';
import { elementsOf, parseMessagingTwiml, textOf, TwimlError, type XmlElement } from './twiml';
import { newSid, resolve } from './util';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

export async function phoneText(s: EngineState, phone: CustomerPhone, to: string, body: string, mediaUrls: string[], attachments: PhoneAttachment[] = []): Promise<PhoneText> {
	const message = s.carrier.receiveMessage({ from: phone.number, to, body, mediaUrls, attachments });
	const text: PhoneText = {
		sid: message.sid,
		direction: 'sent',
		from: phone.number,
		to,
		body,
		mediaUrls: message.mediaUrls,
		status: 'sending',
		webhook: null
	};
	phone.record(text, 'text');
	const number = numberConfig(s, to);
	const keyword = optOutKeyword(s, message.from, to, body);
	const result = await s.dispatcher.request({
		kind: 'sms',
		url: number.smsUrl,
		method: number.smsMethod,
		params: inboundSmsParams(message, number.messagingServiceSid),
		fallbackUrl: number.smsFallbackUrl,
		fallbackMethod: number.smsFallbackMethod,
		messageSid: message.sid
	});
	text.status = 'delivered';
	text.webhook = { ok: result.outcome.ok, errorCode: result.outcome.ok ? null : result.outcome.errorCode };
	phone.record(text, 'text-status');
	if (keyword) carrierReply(phone, to, keyword);
	// After STOP Twilio's own reply is all the sender gets; Switchboard's reply would fail with 21610.
	if (result.outcome.ok) messagingReply(s, message, result.outcome.body, result.documentUrl);
	return text;
}

/**
 * Twilio's default opt-out handling on long codes: single-word, case-insensitive STOP-type
 * keywords block the sender/recipient pair, START-type ones lift the block, HELP-type ones
 * only get a reply. Twilio still forwards the message to the messaging webhook.
 */
export function optOutKeyword(s: EngineState, from: string, to: string, body: string): 'stop' | 'start' | 'help' | null {
	const word = body.trim().toUpperCase();
	const pair = `${to}|${from}`;
	if (OPT_OUT.has(word)) {
		s.carrier.optOuts.add(pair);
		return 'stop';
	}
	if (OPT_IN.has(word)) {
		s.carrier.optOuts.delete(pair);
		return 'start';
	}
	return HELP.has(word) ? 'help' : null;
}

/** Twilio's own reply to a keyword: it reaches the phone but is not a message on the account. */
export function carrierReply(phone: CustomerPhone, from: string, keyword: 'stop' | 'start' | 'help'): void {
	const body = {
		stop: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
		start: 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe.',
		help: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.'
	}[keyword];
	phone.record({ sid: newSid('SM'), direction: 'received', from, to: phone.number, body, mediaUrls: [], status: 'delivered', webhook: null }, 'text');
}

export async function deliverMessage(s: EngineState, message: LocalMessage): Promise<void> {
	const steps: [number, 'sending' | 'sent' | 'delivered'][] = [
		[100, 'sending'],
		[400, 'sent'],
		[1000, 'delivered']
	];
	for (const [ms, status] of steps) {
		await s.clock.sleep(ms);
		const current = s.carrier.messages.get(message.sid);
		if (!current || current.status === 'failed' || current.status === 'undelivered' || current.status === 'canceled') return;
		const phone = s.phones.get(message.to);
		if (status === 'delivered' && phone) {
			const text: PhoneText = {
				sid: message.sid,
				direction: 'received',
				from: message.from,
				to: message.to,
				body: message.body,
				mediaUrls: [...message.mediaUrls],
				status: 'delivered',
				webhook: null
			};
			s.phoneTexts.set(message.sid, text);
			phone.record(text, 'text');
		}
		s.carrier.advanceMessage(message.sid, status);
	}
}

export function messagingReply(s: EngineState, inbound: LocalMessage, body: string, docUrl: string): void {
	if (!body.trim()) return;
	let root: XmlElement;
	try {
		root = parseMessagingTwiml(body);
	} catch (err) {
		if (!(err instanceof TwimlError)) throw err;
		s.dispatcher.alert({ level: 'error', code: 12100, message: `Document parse failure: ${err.message}`, url: docUrl, kind: 'sms', callSid: null, messageSid: inbound.sid });
		return;
	}
	for (const verb of elementsOf(root)) {
		if (verb.name !== 'Message') continue;
		const bodyEl = elementsOf(verb).find((e) => e.name === 'Body');
		const media = elementsOf(verb)
			.filter((e) => e.name === 'Media')
			.map((e) => resolve(s, textOf(e), docUrl));
		try {
			s.carrier.sendMessage(
				{
					from: verb.attrs.from ?? inbound.to,
					to: verb.attrs.to ?? inbound.from,
					body: bodyEl ? textOf(bodyEl) : textOf(verb),
					...(media.length ? { mediaUrls: media } : {}),
					...(verb.attrs.action ? { statusCallback: resolve(s, verb.attrs.action, docUrl) } : {})
				},
				{ direction: 'outbound-reply' }
			);
		} catch (err) {
			if (!(err instanceof AdapterError)) throw err;
			s.dispatcher.alert({ level: 'error', code: Number(err.vendorCode ?? 12300), message: err.message, url: docUrl, kind: 'sms', callSid: null, messageSid: inbound.sid });
		}
	}
}

/** A message changed status: its callback goes out, and a phone that received it sees the new status. */
export function onMessageStatus(s: EngineState, message: LocalMessage, callback: SignedCallback | null): void {
	if (callback) s.dispatcher.notify({ kind: 'sms-status', url: callback.url, params: callback.params, messageSid: message.sid });
	const text = s.phoneTexts.get(message.sid);
	const phone = s.phones.get(message.to);
	if (text && phone) {
		text.status = message.status;
		phone.record(text, 'text-status');
	}
}
