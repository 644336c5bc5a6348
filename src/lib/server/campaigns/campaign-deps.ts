/**
 * What campaign functions need from the composition root, made once per server: the archive,
 * hot state, the outbound gate's rules and its clock (OUTBOUND_CLOCK_START starts it at a fixed
 * instant in local mode; made once so it runs on instead of restarting with every request).
 */
import { createOutboundClock } from '../outbound/clock';
import type { Services } from '../services';
import type { CampaignDeps } from './next-call';

const made = new WeakMap<Services, CampaignDeps>();

export function campaignDeps(services: Services): CampaignDeps {
	let deps = made.get(services);
	if (!deps) {
		const clock = createOutboundClock(services.config.outbound.clockStart);
		deps = { db: services.db, hot: services.hot, rules: services.config.outbound.rules, clock: { now: () => clock().getTime() } };
		made.set(services, deps);
	}
	return deps;
}
