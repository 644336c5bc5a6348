/** Boundaries the code keeps; `npm run check` fails when one is crossed. */
/** Resolved paths of the outside SDKs (depcruise matches `to.path` against the resolved file). */
const SDKS = '^node_modules/(twilio|@twilio/voice-sdk|@aws-sdk/[^/]+|openai|@google/genai|@google/generative-ai|ably)/';
/**
 * twilio-node's TwiML builders: pure (they require only ./TwiML and xmlbuilder, no HTTP client,
 * no credentials), so domain code renders TwiML with the library that defines it. Exactly these
 * two files; the rest of `twilio` stays in the telephony adapter.
 */
const TWIML_BUILDERS = '^node_modules/twilio/lib/twiml/(VoiceResponse|MessagingResponse)\\.js$';

module.exports = {
	forbidden: [
		{
			name: 'sdk-only-in-adapters',
			comment:
				'Outside SDKs are imported only inside their adapter folder (or the browser softphone adapter). Tests may use an SDK as an oracle. twilio-node\'s pure TwiML builders are the one exception.',
			severity: 'error',
			from: { path: '^(src|convex)/', pathNot: '^src/lib/server/adapters/|^src/lib/softphone/adapters/|\\.test\\.ts$' },
			to: { path: SDKS, pathNot: TWIML_BUILDERS, dependencyTypesNot: ['type-only'] }
		},
		{
			name: 'domain-not-on-routes-or-trpc',
			comment: 'Domain code (src/lib/server/<area>) imports neither routes nor tRPC.',
			severity: 'error',
			from: { path: '^src/lib/server/(?!trpc/)[^/]+/' },
			to: { path: '^src/routes/|^src/lib/server/trpc/|^node_modules/@trpc/' }
		},
		{
			name: 'no-server-in-convex',
			comment: 'Convex functions run in Convex: they cannot import SvelteKit server code.',
			severity: 'error',
			from: { path: '^convex/' },
			to: { path: '^src/lib/server/' }
		},
		{
			name: 'no-circular',
			severity: 'warn',
			from: {},
			to: { circular: true }
		}
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.depcruise.json' },
		enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
		exclude: { path: '\\.svelte-kit|_generated' }
	}
};
