import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ precompress: false }),
		// npm test points its vitest and build stages elsewhere (scripts/test-all.js): the static
		// checks running beside them read .svelte-kit, which every sync rewrites in place.
		outDir: process.env.SWITCHBOARD_KIT_OUT_DIR || '.svelte-kit',
		typescript: {
			// Type-check the bench and CLI scripts with the app's own settings and aliases.
			config: (tsconfig) => ({ ...tsconfig, include: [...tsconfig.include, '../scripts/**/*.ts'] })
		},
		alias: {
			$convex: 'convex'
		},
		csrf: {
			// Twilio posts form-encoded webhooks with no Origin header, which Kit's built-in
			// check refuses. hooks.server.ts applies the same origin check to every other
			// route and leaves /webhooks/twilio/* to the X-Twilio-Signature check. Trusting every
			// origin is how Kit spells "off" (checkOrigin: false is deprecated).
			trustedOrigins: ['*']
		},
		// Kit nonces its inline bootstrap script; hooks.server.ts adds the other security headers.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte renders style attributes (style:, transitions), which nonces cannot cover.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				// Recordings come from signed storage URLs; the softphone plays Twilio's ring tones.
				'media-src': ['self', 'blob:', 'https:'],
				// The configured Convex deployment is added at run time (src/lib/server/live/csp.ts).
				'connect-src': [
					'self',
					'https://*.twilio.com',
					'wss://*.twilio.com',
					'https://*.ably.io',
					'wss://*.ably.io',
					'https://*.ably-realtime.com',
					'wss://*.ably-realtime.com',
					'https://*.ably.net'
				],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
