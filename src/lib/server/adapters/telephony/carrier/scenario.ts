/**
 * The scenario API: what tests, demos and the `npm run carrier` CLI use to drive the carrier
 * without clicking: place calls and texts as customers, answer or reject as agents, press
 * keys, hang up, and hold, reorder or replay webhook deliveries to provoke races and retries.
 */
import type { LocalCarrier } from './local-carrier';
import type { ConferenceView } from './rest';
import type { ClientDevice, CustomerPhone, DeviceCall, PhoneCall, PhoneMode, PhoneText, ScriptLine } from './parties';
import type { Delivery, WebhookDispatcher, WebhookKind } from './webhooks';

/** What the scenario API drives; the CarrierEngine provides it. */
export interface ScenarioHost {
	readonly carrier: LocalCarrier;
	readonly dispatcher: WebhookDispatcher;
	readonly devices: Map<string, Set<ClientDevice>>;
	readonly queues: Map<string, { name: string; sid: string; entries: { leg: { sid: string } }[] }>;
	phone(number: string): CustomerPhone;
	device(identity: string): ClientDevice;
	pressKeys(callSid: string, digits: string): void;
	hangUp(callSid: string): void;
	heard(callSid: string): string[];
	listConferences(filter: { friendlyName?: string | null; status?: string | null }): ConferenceView[];
}

export interface CallSummary {
	sid: string;
	from: string;
	to: string;
	status: string;
	direction: string;
	parentCallSid: string | null;
	/** ISO 8601, when the carrier created the leg (for a Dial, when it started ringing the far end). */
	dateCreated: string;
	heard: string[];
}

export class Scenario {
	readonly #engine: ScenarioHost;
	readonly #agents = new Map<string, ClientDevice>();

	constructor(engine: ScenarioHost) {
		this.#engine = engine;
	}

	/** A customer calls `to` from any caller ID, optionally carrying a conversation script. */
	placeCall(input: { from: string; to: string; script?: ScriptLine[] }): PhoneCall {
		return this.#engine.phone(input.from).call(input.to, input.script ? { script: input.script } : {});
	}

	/** A customer texts `to`; resolves once Switchboard's messaging webhook answered. */
	sendText(input: { from: string; to: string; body: string; mediaUrls?: string[] }): Promise<PhoneText> {
		return this.#engine.phone(input.from).text(input.to, input.body, input.mediaUrls ?? []);
	}

	/** Register a scripted softphone for `identity` (idempotent), so calls to it can be answered here. */
	agent(identity: string): ClientDevice {
		let device = this.#agents.get(identity);
		if (!device) {
			device = this.#engine.device(identity);
			device.register();
			this.#agents.set(identity, device);
		}
		return device;
	}

	/** Accept the call ringing at `identity` (the given one, or the oldest). Null when nothing rings there. */
	answerAs(identity: string, callSid?: string): DeviceCall | null {
		const call = this.#ringing(identity, callSid);
		call?.accept();
		return call;
	}

	rejectAs(identity: string, callSid?: string): DeviceCall | null {
		const call = this.#ringing(identity, callSid);
		call?.reject();
		return call;
	}

	/** Answer (or reject) a call ringing at a customer phone, e.g. an outbound call from Switchboard. */
	answerPhone(number: string, reject = false): PhoneCall | null {
		const call = this.#engine.phone(number).calls.find((c) => c.direction === 'incoming' && c.status === 'ringing') ?? null;
		if (reject) call?.reject();
		else call?.answer();
		return call;
	}

	/**
	 * How the phone with `number` takes calls from now on: `ring` (answer, decline or let it ring
	 * out), `busy` (an engaged line), `voicemail` (an answering machine picks up after `afterMs`
	 * and plays `greeting`).
	 */
	phoneMode(number: string, input: { mode: PhoneMode; greeting?: string; afterMs?: number }): { number: string; mode: PhoneMode; greeting: string; afterMs: number } {
		const phone = this.#engine.phone(number);
		phone.mode = input.mode;
		if (input.greeting !== undefined) phone.greeting = input.greeting;
		if (input.afterMs !== undefined) phone.voicemailAfterMs = input.afterMs;
		return { number, mode: phone.mode, greeting: phone.greeting, afterMs: phone.voicemailAfterMs };
	}

	pressKeys(callSid: string, digits: string): void {
		this.#engine.pressKeys(callSid, digits);
	}

	hangUp(callSid: string): void {
		this.#engine.hangUp(callSid);
	}

	call(callSid: string): CallSummary | null {
		const c = this.#engine.carrier.calls.get(callSid);
		if (!c) return null;
		return { sid: c.sid, from: c.from, to: c.to, status: c.status, direction: c.direction, parentCallSid: c.parentCallSid, dateCreated: c.dateCreated.toISOString(), heard: this.#engine.heard(c.sid) };
	}

	// --- webhook delivery controls --------------------------------------------------------------

	/** Hold informational callbacks (status, recording, conference) of the given kinds (all when empty). */
	holdDeliveries(kinds: WebhookKind[] = []): void {
		this.#engine.dispatcher.hold((d) => kinds.length === 0 || kinds.includes(d.kind));
	}

	/** Send held deliveries: in the order of `order` (delivery ids first), or reversed. */
	releaseDeliveries(order: number[] | 'reverse' = []): Promise<Delivery[]> {
		return this.#engine.dispatcher.release(order);
	}

	/** Send a delivery again with the same idempotency token and signature, as a Twilio retry would. */
	replayDelivery(id: number): Promise<Delivery> {
		return this.#engine.dispatcher.replay(id);
	}

	/** Everything the carrier holds, for a CLI or a debugging page. */
	state() {
		const e = this.#engine;
		return {
			calls: [...e.carrier.calls.keys()].map((sid) => this.call(sid)),
			queues: [...e.queues.values()].map((q) => ({ name: q.name, sid: q.sid, size: q.entries.length, callers: q.entries.map((x) => x.leg.sid) })),
			conferences: e.listConferences({}),
			agents: [...e.devices.keys()],
			messages: [...e.carrier.messages.values()].map((m) => ({ sid: m.sid, from: m.from, to: m.to, body: m.body, status: m.status, direction: m.direction })),
			deliveries: e.dispatcher.deliveries.map((d) => ({
				id: d.id,
				kind: d.kind,
				url: d.url,
				held: d.held,
				replayOf: d.replayOf,
				idempotencyToken: d.idempotencyToken,
				callSid: d.callSid,
				messageSid: d.messageSid,
				// When the first attempt was sent, and how long Switchboard took to answer it.
				sentAt: d.attempts[0] ? new Date(d.attempts[0].at.getTime() - d.attempts[0].ms).toISOString() : null,
				ms: d.attempts[0]?.ms ?? null,
				result: d.outcome ? (d.outcome.ok ? d.outcome.status : `error ${d.outcome.errorCode}`) : 'pending'
			})),
			held: e.dispatcher.held.map((d) => d.id),
			alerts: e.dispatcher.alerts
		};
	}

	#ringing(identity: string, callSid?: string): DeviceCall | null {
		this.agent(identity);
		for (const device of this.#engine.devices.get(identity) ?? []) {
			const call = device.calls.find((c) => c.status() === 'pending' && (!callSid || c.sid === callSid));
			if (call) return call;
		}
		return null;
	}
}
