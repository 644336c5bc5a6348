/** Rules both broadcast adapters enforce, matching Ably's limits so the twin fails where Ably would. */
import { badRequest } from '../../errors';

export const MAX_MESSAGE_BYTES = 64 * 1024;

export function assertChannel(channel: string): void {
	if (!channel || channel.length > 200 || channel.startsWith('[') || channel.startsWith(':')) {
		throw badRequest('INVALID_CHANNEL', `Channel ${JSON.stringify(channel)} must be 1 to 200 characters and not start with "[" or ":".`);
	}
}

/** Serialize `data` as it will travel, refusing values JSON cannot carry and oversized messages. */
export function encodeMessage(channel: string, name: string, data: unknown): string {
	assertChannel(channel);
	if (!name) throw badRequest('INVALID_EVENT_NAME', 'A broadcast message needs an event name such as recording.ready.');
	let json: string | undefined;
	try {
		json = JSON.stringify(data);
	} catch {
		json = undefined;
	}
	if (json === undefined) throw badRequest('INVALID_MESSAGE_DATA', `The data for ${name} cannot be sent as JSON.`);
	// Ably carries strings, null, objects and arrays; a bare number or boolean is its error 40013.
	if (typeof data === 'number' || typeof data === 'boolean' || typeof data === 'bigint') {
		throw badRequest('INVALID_MESSAGE_DATA', `The data for ${name} is a bare ${typeof data}; send an object such as { "value": ... } (Ably refuses bare numbers and booleans).`);
	}
	if (Buffer.byteLength(json) + Buffer.byteLength(name) > MAX_MESSAGE_BYTES) {
		throw badRequest('MESSAGE_TOO_LARGE', `The ${name} message is larger than 64 KiB; send an ID and let the browser fetch the rest.`);
	}
	return json;
}
