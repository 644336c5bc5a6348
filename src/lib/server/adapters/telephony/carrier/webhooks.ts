/**
 * Webhook delivery as Twilio does it: form-encoded POSTs (or GETs) signed with
 * `X-Twilio-Signature`, an `I-Twilio-Idempotency-Token` that a retry repeats, Twilio's 15 s
 * budget, one retry on a connect failure (overridable with `#rc=..&rp=..&tt=..` fragments),
 * and the fallback URL with `ErrorCode`/`ErrorUrl` when the primary fails. Every failure is
 * logged with its Twilio error code and kept as an alert, like Twilio's debugger. Callbacks
 * that only inform (status, recording, conference) can be held, replayed and reordered.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { logger } from '../../../log';
import type { Clock } from './clock';

export type WebhookKind =
	| 'voice'
	| 'voice-fallback'
	| 'call-status'
	| 'dial-action'
	| 'dial-queue-url'
	| 'enqueue-action'
	| 'queue-wait'
	| 'gather-action'
	| 'record-action'
	| 'redirect'
	| 'hold-url'
	| 'announce-url'
	| 'recording-status'
	| 'transcription'
	| 'conference-status'
	| 'sms'
	| 'sms-fallback'
	| 'sms-status';

export interface DeliveryInput {
	kind: WebhookKind;
	/** Absolute URL; a `#rc=..` fragment overrides the retry policy and is neither sent nor signed. */
	url: string;
	method?: 'GET' | 'POST';
	params: Record<string, string>;
	/** Requested with ErrorCode and ErrorUrl added when the primary request fails. */
	fallbackUrl?: string | null;
	fallbackMethod?: 'GET' | 'POST';
	callSid?: string;
	messageSid?: string;
}

export interface DeliveryAttempt {
	at: Date;
	status: number | null;
	errorCode: number | null;
	error: string | null;
	ms: number;
}

export type DeliveryOutcome =
	| { ok: true; status: number; body: string; contentType: string }
	| { ok: false; errorCode: number; reason: string; status: number | null };

export interface Delivery {
	id: number;
	kind: WebhookKind;
	/** The URL requested and signed (fragment removed, GET params in the query string). */
	url: string;
	method: 'GET' | 'POST';
	params: Record<string, string>;
	signature: string;
	idempotencyToken: string;
	attempts: DeliveryAttempt[];
	outcome: DeliveryOutcome | null;
	/** Set on a delivery sent again through `replay`. */
	replayOf: number | null;
	held: boolean;
	callSid: string | null;
	messageSid: string | null;
}

/** One line of the carrier's debugger, like an alert in Twilio's console. */
export interface CarrierAlert {
	at: Date;
	level: 'error' | 'warning';
	code: number;
	message: string;
	url: string | null;
	kind: WebhookKind | null;
	callSid: string | null;
	messageSid: string | null;
}

export interface WebhookResult {
	outcome: DeliveryOutcome;
	/** The delivery that produced the outcome (the fallback's, when the fallback ran). */
	delivery: Delivery;
	/** The URL whose document the caller should resolve relative URLs against. */
	documentUrl: string;
	viaFallback: boolean;
}

export interface DispatcherOptions {
	sign: (url: string, params: Record<string, string>) => string;
	clock: Clock;
	/** Twilio's total budget per request: 15 000 ms. Tests pass less. */
	timeoutMs?: number;
	/** How many deliveries and alerts to keep (oldest dropped first). */
	keep?: number;
}

interface Policy {
	retries: number;
	retryOn: Set<string>;
	timeoutMs: number;
}

const ASYNC_KINDS = new Set<WebhookKind>(['call-status', 'recording-status', 'transcription', 'conference-status', 'sms-status']);
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Twilio's error codes: 11200 retrieval failure (timeouts), 11205 connection failure, 11217 a 4xx/5xx answer. */
export const HTTP_RETRIEVAL_FAILURE = 11200;
export const HTTP_CONNECTION_FAILURE = 11205;
export const HTTP_ERROR_RESPONSE = 11217;

export interface DispatcherEvents {
	delivery: [delivery: Delivery];
	alert: [alert: CarrierAlert];
}

export class WebhookDispatcher extends EventEmitter<DispatcherEvents> {
	readonly deliveries: Delivery[] = [];
	readonly alerts: CarrierAlert[] = [];
	readonly #sign: DispatcherOptions['sign'];
	readonly #clock: Clock;
	readonly #timeoutMs: number;
	readonly #keep: number;
	readonly #log = logger('carrier');
	#nextId = 1;
	#holding: ((d: Delivery) => boolean) | null = null;
	readonly #held: Delivery[] = [];

	constructor(options: DispatcherOptions) {
		super();
		// Every open customer phone page listens for deliveries (one listener each, removed when
		// the page goes), so a demo with many phones open is not a leak to warn about.
		this.setMaxListeners(0);
		this.#sign = options.sign;
		this.#clock = options.clock;
		this.#timeoutMs = options.timeoutMs ?? 15_000;
		this.#keep = options.keep ?? 2000;
	}

	/** True for callbacks that only inform Switchboard: their answer does not steer the call. */
	static isAsync(kind: WebhookKind): boolean {
		return ASYNC_KINDS.has(kind);
	}

	/** Request a document (TwiML) and fall back as Twilio does; never throws. */
	request(input: DeliveryInput): Promise<WebhookResult> {
		return this.#clock.track(this.#request(input));
	}

	/** Send an informational callback without waiting; held deliveries wait for `release`. */
	notify(input: DeliveryInput): void {
		const delivery = this.#prepare(input);
		if (this.#holding?.(delivery)) {
			delivery.held = true;
			this.#held.push(delivery);
			this.emit('delivery', delivery);
			return;
		}
		void this.#clock.track(this.#send(delivery, this.#policy(input.url)));
	}

	/** Record an alert in the debugger and log it with its Twilio code. */
	alert(alert: Omit<CarrierAlert, 'at'>): void {
		const entry = { ...alert, at: this.#clock.now() };
		this.alerts.push(entry);
		if (this.alerts.length > this.#keep) this.alerts.shift();
		const fields = { code: alert.code, url: alert.url, kind: alert.kind, callSid: alert.callSid, messageSid: alert.messageSid };
		if (alert.level === 'error') this.#log.warn(`Twilio error ${alert.code}: ${alert.message}`, fields);
		else this.#log.info(`Twilio warning ${alert.code}: ${alert.message}`, fields);
		this.emit('alert', entry);
	}

	// --- delivery controls ----------------------------------------------------------------------

	/** Hold informational callbacks (all, or those `which` picks) until `release`. */
	hold(which: (d: Delivery) => boolean = () => true): void {
		this.#holding = (d) => ASYNC_KINDS.has(d.kind) && which(d);
	}

	get held(): readonly Delivery[] {
		return this.#held;
	}

	/**
	 * Stop holding and send what was held, one after another: in the order given by `order`
	 * (delivery ids; the rest follow in arrival order), or reversed with `'reverse'`.
	 */
	async release(order: number[] | 'reverse' = []): Promise<Delivery[]> {
		this.#holding = null;
		const pending = this.#held.splice(0);
		let sequence: Delivery[];
		if (order === 'reverse') sequence = pending.reverse();
		else {
			const first = order.map((id) => pending.find((d) => d.id === id)).filter((d): d is Delivery => !!d);
			sequence = [...first, ...pending.filter((d) => !first.includes(d))];
		}
		for (const d of sequence) {
			d.held = false;
			await this.#clock.track(this.#send(d, this.#policy(d.url)));
		}
		return sequence;
	}

	/** Send a past delivery again, byte for byte, with the same idempotency token (a duplicate). */
	async replay(id: number): Promise<Delivery> {
		const original = this.deliveries.find((d) => d.id === id);
		if (!original) throw new Error(`No delivery ${id} to replay`);
		const copy: Delivery = { ...original, id: this.#nextId++, attempts: [], outcome: null, replayOf: id, held: false };
		this.#remember(copy);
		await this.#clock.track(this.#send(copy, { ...this.#policy(copy.url), retries: 0 }));
		return copy;
	}

	// --- internals -----------------------------------------------------------------------------

	async #request(input: DeliveryInput): Promise<WebhookResult> {
		const delivery = this.#prepare(input);
		const outcome = await this.#send(delivery, this.#policy(input.url));
		if (outcome.ok || !input.fallbackUrl) return { outcome, delivery, documentUrl: delivery.url, viaFallback: false };
		return this.fallback(input, outcome.errorCode, delivery.url);
	}

	/** Request `input.fallbackUrl` with `ErrorCode` and `ErrorUrl`, as Twilio does after a failure. */
	async fallback(input: DeliveryInput, errorCode: number, errorUrl: string): Promise<WebhookResult> {
		const fallbackUrl = input.fallbackUrl;
		if (!fallbackUrl) throw new Error('fallback() needs input.fallbackUrl');
		const kind: WebhookKind = input.kind === 'sms' ? 'sms-fallback' : 'voice-fallback';
		const second = this.#prepare({
			...input,
			kind,
			url: fallbackUrl,
			method: input.fallbackMethod ?? 'POST',
			params: { ...input.params, ErrorCode: String(errorCode), ErrorUrl: errorUrl }
		});
		const outcome = await this.#clock.track(this.#send(second, this.#policy(fallbackUrl)));
		return { outcome, delivery: second, documentUrl: second.url, viaFallback: true };
	}

	#prepare(input: DeliveryInput): Delivery {
		const method = input.method ?? 'POST';
		const bare = input.url.replace(/#.*$/, '');
		let url = bare;
		let params = input.params;
		if (method === 'GET') {
			const u = new URL(bare);
			for (const [k, v] of Object.entries(input.params)) u.searchParams.append(k, v);
			url = u.toString();
			params = {};
		}
		const delivery: Delivery = {
			id: this.#nextId++,
			kind: input.kind,
			url,
			method,
			params,
			signature: this.#sign(url, params),
			idempotencyToken: `${randomBytes(16).toString('hex')}-${Date.now().toString(36)}`,
			attempts: [],
			outcome: null,
			replayOf: null,
			held: false,
			callSid: input.callSid ?? input.params.CallSid ?? null,
			messageSid: input.messageSid ?? input.params.MessageSid ?? null
		};
		this.#remember(delivery);
		return delivery;
	}

	#remember(delivery: Delivery): void {
		this.deliveries.push(delivery);
		if (this.deliveries.length > this.#keep) this.deliveries.shift();
	}

	/** Twilio's connection overrides: `#ct=..&rt=..&tt=..&rc=..&rp=ct,rt,4xx,5xx,all`. */
	#policy(url: string): Policy {
		const fragment = /#(.*)$/.exec(url)?.[1] ?? '';
		const o = new URLSearchParams(fragment);
		const num = (k: string) => (o.get(k) !== null && Number.isFinite(Number(o.get(k))) ? Number(o.get(k)) : null);
		return {
			retries: Math.min(5, Math.max(0, num('rc') ?? 1)),
			retryOn: new Set((o.get('rp') ?? 'ct').split(',').map((s) => s.trim())),
			timeoutMs: Math.min(this.#timeoutMs, num('tt') ?? this.#timeoutMs)
		};
	}

	async #send(delivery: Delivery, policy: Policy): Promise<DeliveryOutcome> {
		let outcome: DeliveryOutcome | null = null;
		for (let attempt = 0; attempt <= policy.retries; attempt++) {
			const [result, cause] = await this.#attempt(delivery, policy.timeoutMs);
			outcome = result;
			if (result.ok) break;
			const retryable =
				policy.retryOn.has('all') ||
				policy.retryOn.has(cause) ||
				(cause === '4xx' && policy.retryOn.has('4xx')) ||
				(cause === '5xx' && policy.retryOn.has('5xx'));
			if (!retryable || attempt === policy.retries) break;
		}
		delivery.outcome = outcome;
		if (outcome && !outcome.ok) {
			this.alert({
				level: 'error',
				code: outcome.errorCode,
				message: `${delivery.kind} request to ${delivery.url} failed: ${outcome.reason}`,
				url: delivery.url,
				kind: delivery.kind,
				callSid: delivery.callSid,
				messageSid: delivery.messageSid
			});
		}
		this.emit('delivery', delivery);
		return outcome!;
	}

	/** One HTTP attempt; the second value names the failure class for the retry policy. */
	async #attempt(delivery: Delivery, timeoutMs: number): Promise<[DeliveryOutcome, string]> {
		const started = Date.now();
		const record = (status: number | null, errorCode: number | null, error: string | null) =>
			delivery.attempts.push({ at: this.#clock.now(), status, errorCode, error, ms: Date.now() - started });
		try {
			const res = await fetch(delivery.url, {
				method: delivery.method,
				headers: {
					'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
					accept: '*/*',
					'user-agent': 'TwilioProxy/1.1',
					'x-twilio-signature': delivery.signature,
					'i-twilio-idempotency-token': delivery.idempotencyToken
				},
				body: delivery.method === 'POST' ? new URLSearchParams(delivery.params).toString() : undefined,
				redirect: 'follow',
				signal: AbortSignal.timeout(timeoutMs)
			});
			const body = await res.text();
			if (res.status >= 400) {
				record(res.status, HTTP_ERROR_RESPONSE, `HTTP ${res.status}`);
				const outcome: DeliveryOutcome = { ok: false, errorCode: HTTP_ERROR_RESPONSE, reason: `the server answered HTTP ${res.status}`, status: res.status };
				return [outcome, res.status >= 500 ? '5xx' : '4xx'];
			}
			record(res.status, null, null);
			return [{ ok: true, status: res.status, body, contentType: res.headers.get('content-type') ?? '' }, 'ok'];
		} catch (err) {
			const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
			if (e.name === 'TimeoutError' || e.name === 'AbortError') {
				record(null, HTTP_RETRIEVAL_FAILURE, `timed out after ${timeoutMs} ms`);
				return [{ ok: false, errorCode: HTTP_RETRIEVAL_FAILURE, reason: `no answer within ${timeoutMs} ms`, status: null }, 'rt'];
			}
			const code = e.cause?.code ?? '';
			const reason = `${e.cause?.message ?? e.message ?? String(err)}${code ? ` (${code})` : ''}`;
			if (CONNECT_ERRORS.has(code)) {
				record(null, HTTP_CONNECTION_FAILURE, reason);
				return [{ ok: false, errorCode: HTTP_CONNECTION_FAILURE, reason: `could not connect: ${reason}`, status: null }, 'ct'];
			}
			record(null, HTTP_RETRIEVAL_FAILURE, reason);
			return [{ ok: false, errorCode: HTTP_RETRIEVAL_FAILURE, reason, status: null }, 'rt'];
		}
	}
}
