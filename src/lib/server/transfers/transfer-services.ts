/**
 * The transfer use-cases' dependencies from the app's services, and the offer sweep: the local
 * engine has no scheduler, so the server times offers out itself (every few seconds while it
 * runs; Convex's cron does the same on a real deployment).
 */
import { logger } from '../log';
import type { Services } from '../services';
import { expireTransferOffers } from './move-transfer';
import { portCarrier } from './transfer-carrier';
import type { TransferDeps } from './transfer-deps';

const log = logger('transfers');
const SWEEP_MS = 2_000;
const deps = new WeakMap<Services, TransferDeps>();

export function transferDeps(services: Services): TransferDeps {
	let d = deps.get(services);
	if (!d) {
		d = {
			db: services.db,
			hot: services.hot,
			broadcast: services.adapters.broadcast,
			carrier: portCarrier(services.adapters.telephony, null),
			config: services.config
		};
		deps.set(services, d);
		const made = d;
		const timer = setInterval(() => {
			expireTransferOffers(made).catch((error: unknown) => log.error('transfer sweep failed', { error: String(error) }));
		}, SWEEP_MS);
		timer.unref();
	}
	return d;
}
