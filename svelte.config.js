import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ precompress: false }),
		alias: {
			$convex: 'convex'
		},
		csrf: {
			// Twilio posts form-encoded webhooks with no Origin header, which Kit's built-in
			// check refuses. hooks.server.ts applies the same origin check to every other
			// route and leaves /webhooks/twilio/* to the X-Twilio-Signature check.
			checkOrigin: false
		}
	}
};

export default config;
