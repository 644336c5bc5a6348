/** Picks the broadcast adapter from validated config: Ably, or an in-process emitter. */
import type { Config } from '../../env';
import { AblyBroadcast } from './ably';
import { LocalBroadcast } from './local';
import type { BroadcastPort } from './port';

export type * from './port';
export { LocalBroadcast } from './local';

export function createBroadcast(config: Config): BroadcastPort {
	const b = config.broadcast;
	if (b.adapter === 'ably') {
		const { adapter: _adapter, ...settings } = b;
		return new AblyBroadcast(settings);
	}
	return new LocalBroadcast();
}
