/**
 * The broadcast twin: an in-process emitter. Messages go through JSON like they would over the
 * wire and reach subscribers on a later tick, so code that works here does not depend on
 * synchronous delivery or shared object references.
 */
import { EventEmitter } from 'node:events';
import { logger } from '../../log';
import type { BroadcastData, BroadcastHandler, BroadcastMessage, BroadcastPort } from './port';
import { assertChannel, encodeMessage } from './shared';
import { errorMessage } from '../../../errors';

const log = logger('broadcast');

export class LocalBroadcast implements BroadcastPort {
	readonly kind = 'local';
	readonly #emitter = new EventEmitter();

	constructor() {
		this.#emitter.setMaxListeners(0);
	}

	publish(channel: string, name: string, data: BroadcastData): Promise<void> {
		return Promise.resolve().then(() => {
			const json = encodeMessage(channel, name, data);
			const timestamp = Date.now();
			setImmediate(() => {
				this.#emitter.emit(channel, { channel, name, data: JSON.parse(json) as unknown, timestamp } satisfies BroadcastMessage);
			});
		});
	}

	subscribe(channel: string, handler: BroadcastHandler): Promise<() => void> {
		return Promise.resolve().then(() => {
			assertChannel(channel);
			const listener = (message: BroadcastMessage) => {
				try {
					handler(structuredClone(message));
				} catch (err) {
					log.error(`a subscriber to ${channel} failed on ${message.name}`, { error: errorMessage(err) });
				}
			};
			this.#emitter.on(channel, listener);
			return () => {
				this.#emitter.off(channel, listener);
			};
		});
	}

	close(): Promise<void> {
		this.#emitter.removeAllListeners();
		return Promise.resolve();
	}
}
