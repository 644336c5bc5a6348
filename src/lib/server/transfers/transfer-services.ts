/**
 * The transfer use-cases' dependencies from the app's services, and the offer sweep: the local
 * engine has no scheduler, so the server times offers out itself (every few seconds while it
 * runs; Convex's cron does the same on a real deployment).
 */
import type { BroadcastPort } from '../adapters/broadcast/port';
import { logger } from '../log';
import { conferenceReady, type CallControlServices } from '../call-control/conference';
import { expireTransferOffers } from './move-transfer';
import { portCarrier } from './transfer-carrier';
import type { TransferDeps } from './transfer-deps';
import type { Jobs } from '../jobs/jobs';

const log = logger('transfers');
const SWEEP_MS = 2_000;
/** The app passes its whole services; a narrowed set (the voice test harness) may lack the Broadcast port. */
type TransferServices = CallControlServices & { adapters: { broadcast?: BroadcastPort }; jobs?: Pick<Jobs, 'enqueue'> };

/** Without a Broadcast port the screens still follow hot state (transfers.mine); only the early ring is lost. */
const NO_BROADCAST: BroadcastPort = {
	kind: 'local',
	publish: () => Promise.resolve(),
	subscribe: () => Promise.resolve(() => undefined),
	close: () => Promise.resolve()
};
const deps = new WeakMap<TransferServices, TransferDeps>();

export function transferDeps(services: TransferServices): TransferDeps {
	let d = deps.get(services);
	if (!d) {
		d = {
			db: services.db,
			hot: services.hot,
			broadcast: services.adapters.broadcast ?? NO_BROADCAST,
			// Holding the customer needs their participant, so wait for the move into the conference to land.
			carrier: portCarrier(services.adapters.telephony, (callSid) => conferenceReady(services, callSid)),
			config: services.config,
			...(services.jobs ? { jobs: services.jobs } : {})
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
