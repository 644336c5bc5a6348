/**
 * The production broadcast adapter over Ably: REST for publishing (no connection to keep), and
 * a Realtime connection opened on the first subscribe. Messages travel as JSON, not msgpack,
 * so payloads stay readable in Ably's console and in tests. ABLY_REST_HOST may be a host name
 * or a full `http(s)://host:port` URL (an Ably-compatible endpoint or a test server).
 */
import * as Ably from 'ably';
import type { Config } from '../../env';
import { logger } from '../../log';
import { AdapterError } from '../errors';
import type { BroadcastHandler, BroadcastPort } from './port';
import { assertChannel, encodeMessage } from './shared';

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

function failure(err: unknown, action: string): AdapterError {
	if (err instanceof Ably.ErrorInfo) {
		return new AdapterError(`Ably refused to ${action}: ${err.message} (error ${err.code})`, {
			port: 'broadcast',
			adapter: 'ably',
			status: err.statusCode,
			vendorCode: err.code,
			cause: err
		});
	}
	const reason = err instanceof Error ? err.message : String(err);
	return new AdapterError(`Ably could not be reached to ${action}: ${reason}`, { port: 'broadcast', adapter: 'ably', retryable: true, cause: err });
}

export class AblyBroadcast implements BroadcastPort {
	readonly kind = 'ably';
	readonly #options: Ably.ClientOptions;
	readonly #rest: Ably.Rest;
	#realtime: Ably.Realtime | undefined;

	constructor(config: AblyBroadcastConfig) {
		this.#options = {
			key: config.apiKey,
			useBinaryProtocol: false,
			logLevel: 1,
			logHandler: (msg) => log.warn(msg),
			...ablyHostOptions(config.restHost)
		};
		this.#rest = new Ably.Rest(this.#options);
	}

	async publish(channel: string, name: string, data: unknown): Promise<void> {
		const json = encodeMessage(channel, name, data);
		try {
			await this.#rest.channels.get(channel).publish(name, JSON.parse(json));
		} catch (err) {
			throw failure(err, `publish ${name} on ${channel}`);
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
				log.error(`a subscriber to ${channel} failed on ${message.name ?? ''}`, { error: err instanceof Error ? err.message : String(err) });
			}
		};
		try {
			await ch.subscribe(listener);
		} catch (err) {
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
