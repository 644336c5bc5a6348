/**
 * The broadcast port: server-to-browser notices that need no stored state (a recording is
 * ready, a report finished, a supervisor's announcement). Ably in production; an in-process
 * emitter locally. Hot state that must survive reloads belongs in the live store, not here.
 */

export interface BroadcastMessage {
	channel: string;
	/** Event name, e.g. `recording.ready`. */
	name: string;
	/** The JSON value published (it travels as JSON: Dates arrive as strings). */
	data: unknown;
	/** Milliseconds since the epoch when the service accepted it. */
	timestamp: number;
}

export type BroadcastHandler = (message: BroadcastMessage) => void;

/**
 * What a message may carry, as Ably allows it: a string, null, or a JSON object or array
 * (`object` rather than an index signature, so interfaces fit). Ably refuses a bare number or
 * boolean (error 40013), so the type leaves them out and both adapters refuse them at run time.
 */
export type BroadcastData = string | null | object;

export interface BroadcastPort {
	/** Which adapter this is, for logs and diagnostics. */
	readonly kind: 'ably' | 'local';

	/**
	 * Publish one message to everyone subscribed to `channel`; resolves once the service has
	 * accepted it. `data` must be JSON-serializable, not a bare number or boolean, and at most
	 * 64 KiB once serialized; channel names are 1 to 200 characters and do not start with `[`
	 * or `:` (AppError BAD_REQUEST).
	 */
	publish(channel: string, name: string, data: BroadcastData): Promise<void>;

	/**
	 * Receive every message published to `channel` from now on, in publish order. Resolves once
	 * the subscription is live, with a function that ends it. A handler that throws is logged
	 * and does not affect other subscribers. A subscribe that fails (AdapterError, e.g. the key
	 * lacks the subscribe capability) leaves no handler behind.
	 */
	subscribe(channel: string, handler: BroadcastHandler): Promise<() => void>;

	/** End all subscriptions and connections. */
	close(): Promise<void>;
}
