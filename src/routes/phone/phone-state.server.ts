/**
 * The customer phone page's view of one carrier handset: its calls (with what the caller
 * heard) and texts (with Switchboard's webhook delivery for each one sent), pushed to the
 * page whenever the carrier changes anything about them.
 */
import type { CarrierEngine, CustomerPhone, Delivery } from '$lib/server/adapters/telephony/carrier';
import { carrierEngineOf, type TelephonyPort } from '$lib/server/adapters/telephony';
import type { Services } from '$lib/server/services';
import type { MediaEvent } from '$lib/media/media-signal';
import type { PhoneMediaEvent, PhoneSnapshot, PhoneTextView, WebhookDeliveryView } from './phone-types';

const MAX_CALLS = 10;
const MAX_TEXTS = 100;
/** Catches changes no event announces (a call's status set by the engine); cheap, in-process. */
const POLL_MS = 500;

function deliveryView(telephony: TelephonyPort, delivery: Delivery): WebhookDeliveryView {
	const outcome = delivery.outcome;
	return {
		method: delivery.method,
		url: delivery.url,
		status: outcome ? outcome.status : null,
		errorCode: outcome && !outcome.ok ? outcome.errorCode : null,
		signatureValid: telephony.validateWebhook({ signature: delivery.signature, url: delivery.url, params: delivery.params }),
		idempotencyToken: delivery.idempotencyToken,
		viaFallback: delivery.kind === 'sms-fallback'
	};
}

export function phoneSnapshot(engine: CarrierEngine, telephony: TelephonyPort, phone: CustomerPhone): PhoneSnapshot {
	const deliveries = new Map<string, Delivery>();
	for (const d of engine.dispatcher.deliveries) {
		if (d.messageSid && (d.kind === 'sms' || d.kind === 'sms-fallback') && d.outcome) deliveries.set(d.messageSid, d);
	}
	const texts: PhoneTextView[] = phone.texts.slice(-MAX_TEXTS).map((t) => {
		const delivery = t.direction === 'sent' ? deliveries.get(t.sid) : undefined;
		return {
			sid: t.sid,
			direction: t.direction,
			from: t.from,
			to: t.to,
			body: t.body,
			mediaCount: t.mediaUrls.length,
			status: t.status,
			delivery: delivery ? deliveryView(telephony, delivery) : null
		};
	});
	const waiting = new Map<string, string>();
	for (const q of engine.queues.values()) for (const e of q.entries) waiting.set(e.leg.sid, q.name);
	const calls = phone.calls
		.slice(-MAX_CALLS)
		.reverse()
		.map((c) => {
			const bridge = engine.legs.get(c.sid)?.bridge;
			const conference = c.status === 'in-progress' ? engine.conferenceOf(c.sid) : null;
			return {
				sid: c.sid,
				direction: c.direction,
				from: c.from,
				to: c.to,
				status: c.status,
				heard: [...c.heard],
				// In a conference and not held: talking to people, as across a bridge.
				bridged: Boolean(bridge && !bridge.closed) || Boolean(conference && !conference.hold),
				queue: waiting.get(c.sid) ?? null,
				conference: conference ? { onHold: conference.hold, hearsHoldMusic: conference.hearsHoldMusic } : null
			};
		});
	return { number: phone.number, calls, texts };
}

/**
 * Call `push` with the phone's snapshot now and after every change, and `pushMedia` with the
 * WebRTC signaling of its calls (which also tells the carrier a browser carries this phone's
 * audio); returns the stop function.
 */
export function watchPhone(
	engine: CarrierEngine,
	telephony: TelephonyPort,
	number: string,
	push: (snapshot: PhoneSnapshot) => void,
	pushMedia?: (event: PhoneMediaEvent) => void
): () => void {
	const phone = engine.phone(number);
	const media = (callSid: string, event: MediaEvent) => pushMedia?.({ type: 'media', callSid, media: event });
	if (pushMedia) phone.on('media', media);
	let last = '';
	let scheduled = false;
	const flush = () => {
		scheduled = false;
		const snapshot = phoneSnapshot(engine, telephony, phone);
		const text = JSON.stringify(snapshot);
		if (text === last) return;
		last = text;
		push(snapshot);
	};
	const schedule = () => {
		if (scheduled) return;
		scheduled = true;
		queueMicrotask(flush);
	};
	phone.on('incoming', schedule);
	phone.on('text', schedule);
	phone.on('text-status', schedule);
	engine.dispatcher.on('delivery', schedule);
	const timer = setInterval(flush, POLL_MS);
	flush();
	return () => {
		clearInterval(timer);
		phone.off('incoming', schedule);
		phone.off('text', schedule);
		phone.off('text-status', schedule);
		engine.dispatcher.off('delivery', schedule);
		phone.off('media', media);
	};
}

/** The carrier engine in local mode, or null (the phone page then answers 404). */
export function localCarrier({ adapters }: Pick<Services, 'adapters'>): { engine: CarrierEngine; telephony: TelephonyPort } | null {
	const engine = carrierEngineOf(adapters.telephony);
	return engine ? { engine, telephony: adapters.telephony } : null;
}
