/**
 * The production broadcast adapter over Ably: REST for publishing (no connection to keep), and
 * a Realtime connection opened on the first subscribe. Messages travel as JSON, not msgpack,
 * so payloads stay readable in Ably's console and in tests.
 *
 * ABLY_REST_HOST sets Ably's `endpoint` option, so it moves both REST publishing and the
 * Realtime connection: a host name (anything with a dot, an IP, localhost) or a full
 * `http(s)://host:port` URL becomes the only host, with Ably's fallback hosts off; a bare word
 * is a routing policy (`main` -> main.realtime.ably.net, with fallbacks).
 *
 * Each publish carries its own message ID, so Ably's idempotent publishing drops the copy when
 * a retry (429, 5xx, timeout) follows a request that did arrive.
 */
import { randomBytes } from 'node:crypto';
import * as Ably from 'ably';
import type { Config } from '../../env';
import { logger } from '../../log';
import { AdapterError } from '../errors';
import type { BroadcastData, BroadcastHandler, BroadcastPort } from './port';
import { assertChannel, encodeMessage } from './shared';
import { errorMessage } from '../../../errors';

export type AblyBroadcastConfig = Omit<Extract<Config['broadcast'], { adapter: 'ably' }>, 'adapter'>;

const log = logger('broadcast');

/** Ably `endpoint` options from ABLY_REST_HOST: a bare host name keeps TLS on the default port. */
export function ablyHostOptions(restHost: string | undefined): Partial<Ably.ClientOptions> {
	if (!restHost) return {};
	if (!restHost.includes('://')) return { endpoint: restHost };
	const url = new URL(restHost);
	const tls = url.protocol === 'https:';
	const port = url.port ? Number(url.port) : tls ? 443 : 80;
	return { endpoint: url.hostname, tls, ...(tls ? { tlsPort: port } : { port }) };
}

export interface AblyOptions {
	/** Tries per publish, first included (default 3). */
	maxAttempts?: number;
	/** First wait between tries, doubling (default 500 ms). */
	baseDelayMs?: number;
	/** Ably's httpRequestTimeout and realtimeRequestTimeout (default 10 s). */
	requestTimeoutMs?: number;
}

function failure(err: unknown, action: string): AdapterError {
	if (err instanceof Ably.ErrorInfo) {
		const status = err.statusCode;
		return new AdapterError(`Ably refused to ${action}: ${err.message} (error ${err.code})`, {
			port: 'broadcast',
			adapter: 'ably',
			status,
			vendorCode: err.code,
			// Ably reports its own timeouts as 408 or 5xx-class errors without a response.
			retryable: status === undefined || status === 408 || status === 429 || status >= 500,
			cause: err
		});
	}
	const reason = errorMessage(err);
	return new AdapterError(`Ably could not be reached to ${action}: ${reason}`, { port: 'broadcast', adapter: 'ably', retryable: true, cause: err });
}

export class AblyBroadcast implements BroadcastPort {
	readonly kind = 'ably';
	readonly #options: Ably.ClientOptions;
	readonly #rest: Ably.Rest;
	readonly #retry: { maxAttempts: number; baseDelayMs: number };
	#realtime: Ably.Realtime | undefined;

	constructor(config: AblyBroadcastConfig, options: AblyOptions = {}) {
		const timeout = options.requestTimeoutMs ?? 10_000;
		this.#options = {
			key: config.apiKey,
			useBinaryProtocol: false,
			logLevel: 1,
			logHandler: (msg) => log.warn(msg),
			httpRequestTimeout: timeout,
			realtimeRequestTimeout: timeout,
			...ablyHostOptions(config.restHost)
		};
		this.#retry = { maxAttempts: options.maxAttempts ?? 3, baseDelayMs: options.baseDelayMs ?? 500 };
		this.#rest = new Ably.Rest(this.#options);
	}

	async publish(channel: string, name: string, data: BroadcastData): Promise<void> {
		const json = encodeMessage(channel, name, data);
		// One ID for every try: Ably keeps the first copy it accepted and drops the rest.
		const message = { id: `${randomBytes(12).toString('base64url')}:0`, name, data: JSON.parse(json) as unknown };
		for (let attempt = 1; ; attempt++) {
			try {
				await this.#rest.channels.get(channel).publish(message);
				return;
			} catch (err) {
				const error = failure(err, `publish ${name} on ${channel}`);
				if (!error.retryable || attempt >= this.#retry.maxAttempts) throw error;
				await new Promise((resolve) => setTimeout(resolve, this.#retry.baseDelayMs * 2 ** (attempt - 1)));
			}
		}
	}

	async subscribe(channel: string, handler: BroadcastHandler): Promise<() => void> {
		assertChannel(channel);
		this.#realtime ??= new Ably.Realtime(this.#options);
		const ch = this.#realtime.channels.get(channel);
		const listener = (message: Ably.InboundMessage) => {
			try {
				handler({ channel, name: message.name ?? '', data: message.data as unknown, timestamp: message.timestamp ?? Date.now() });
			} catch (err) {
				log.error(`a subscriber to ${channel} failed on ${message.name ?? ''}`, { error: errorMessage(err) });
			}
		};
		try {
			await ch.subscribe(listener);
		} catch (err) {
			// Ably registers the listener before attaching: drop it, and the failed channel, so a later subscribe starts clean.
			ch.unsubscribe(listener);
			this.#realtime.channels.release(channel);
			throw failure(err, `subscribe to ${channel}`);
		}
		return () => ch.unsubscribe(listener);
	}

	close(): Promise<void> {
		this.#realtime?.close();
		this.#realtime = undefined;
		return Promise.resolve();
	}
}
