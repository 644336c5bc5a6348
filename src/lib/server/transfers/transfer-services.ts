/**
 * The transfer use-cases' dependencies from the app's services, and the offer sweep: the local
 * engine has no scheduler, so the server times offers out itself (every few seconds while it
 * runs; Convex's cron does the same on a real deployment).
 */
import { logger } from '../log';
import type { Services } from '../services';
import { conferenceReady } from '../call-control/conference';
import { expireTransferOffers } from './move-transfer';
import { portCarrier } from './transfer-carrier';
import type { TransferDeps } from './transfer-deps';

const log = logger('transfers');
const SWEEP_MS = 2_000;
type TransferServices = Pick<Services, 'db' | 'hot' | 'adapters' | 'config'>;
const deps = new WeakMap<TransferServices, TransferDeps>();

export function transferDeps(services: TransferServices): TransferDeps {
	let d = deps.get(services);
	if (!d) {
		d = {
			db: services.db,
			hot: services.hot,
			broadcast: services.adapters.broadcast,
			// Holding the customer needs their participant, so wait for the move into the conference to land.
			carrier: portCarrier(services.adapters.telephony, (callSid) => conferenceReady(services, callSid)),
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
