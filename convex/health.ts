/** The start-up probe: proves the deployment answers, has convex/ deployed and accepts the server's token. */
import { v } from 'convex/values';
import { systemQuery } from './lib/functions';

export const ping = systemQuery({
	args: {},
	returns: v.object({ ok: v.literal(true) }),
	handler: () => Promise.resolve({ ok: true as const })
});
