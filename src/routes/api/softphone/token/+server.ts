/** A short-lived softphone token for the signed-in agent: a Twilio access token, or the local carrier's. */
import { agentClientIdentity } from '$lib/server/calls/caller-number';
import type { SoftphoneTokenResponse } from '$lib/softphone/protocol';
import { json, unauthenticated } from '$lib/server/http/responses';
import type { RequestHandler } from './$types';

/** Twilio's default; the browser refreshes on tokenWillExpire, 10 s before the end. */
const TOKEN_TTL_SECONDS = 3600;

export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) return unauthenticated();
	const { config, adapters } = locals.services;
	const minted = await adapters.telephony.createClientToken({ identity: agentClientIdentity(locals.user.id), ttlSeconds: TOKEN_TTL_SECONDS });
	const body: SoftphoneTokenResponse = {
		mode: config.telephony.adapter,
		token: minted.token,
		identity: minted.identity,
		expiresAt: minted.expiresAt.toISOString()
	};
	return json(body);
};
