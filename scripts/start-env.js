// The environment `npm start` fills in before the server reads it (scripts/start.js).
// Local mode (TELEPHONY unset or local) is for one machine: it listens on loopback only unless
// HOST says otherwise, and runs outside NODE_ENV=production, which env.ts keeps for real
// deployments (local mode is refused there without I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC=true).

/**
 * Fill unset variables of `env` in place: port, public URL, ORIGIN, and local mode's HOST and NODE_ENV.
 * @param {Record<string, string | undefined>} env
 * @returns {Record<string, string | undefined>}
 */
export function applyStartDefaults(env) {
	env.PORT ??= '3000';
	env.PUBLIC_BASE_URL ??= `http://localhost:${env.PORT}`;
	// adapter-node derives the request origin from ORIGIN; better-auth and the webhook signature
	// check both need it to match the public URL (see STACK.md).
	env.ORIGIN ??= env.PUBLIC_BASE_URL;
	// adapter-node refuses larger request bodies with a bare 413 (its default is 512K): a 5 MB lead
	// file arrives base64-encoded in JSON (about 6.7 MB), so the limit sits above that.
	env.BODY_SIZE_LIMIT ??= '8M';
	if (['', 'local'].includes((env.TELEPHONY ?? '').trim())) {
		// adapter-node listens on HOST, all interfaces when unset.
		env.HOST ??= '127.0.0.1';
		env.NODE_ENV ??= 'development';
	} else {
		env.NODE_ENV ??= 'production';
	}
	return env;
}
