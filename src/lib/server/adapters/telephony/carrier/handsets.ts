/**
 * The customer phones and agent softphones the carrier knows: made on first use, registered to
 * receive calls, or built from a token it minted.
 */
import { ClientDevice, CustomerPhone } from './parties';
import type { EngineState } from './state';

/** A customer handset with this number (created on first use). */
export function phone(s: EngineState, number: string, options: { autoAnswer?: boolean } = {}): CustomerPhone {
	let phone = s.phones.get(number);
	if (!phone) {
		phone = new CustomerPhone(s.host, number, options);
		s.phones.set(number, phone);
	} else if (options.autoAnswer !== undefined) phone.autoAnswer = options.autoAnswer;
	return phone;
}

/** A softphone for `identity`, not yet registered; call `register()` to receive calls. */
export function device(s: EngineState, identity: string): ClientDevice {
	return new ClientDevice(s.host, identity);
}

/** A softphone from a token this carrier minted; null when the token does not verify. */
export function deviceFromToken(s: EngineState, token: string): ClientDevice | null {
	const verified = s.carrier.verifyClientToken(token);
	return verified?.incomingAllow ? new ClientDevice(s.host, verified.identity) : null;
}

export function deviceRegistered(s: EngineState, device: ClientDevice, registered: boolean): void {
	const set = s.devices.get(device.identity) ?? new Set<ClientDevice>();
	if (registered) set.add(device);
	else set.delete(device);
	if (set.size) s.devices.set(device.identity, set);
	else s.devices.delete(device.identity);
}
