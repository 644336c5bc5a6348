/** Boundaries the code keeps; `npm run check` fails when one is crossed. */
/** Resolved paths of the outside SDKs (depcruise matches `to.path` against the resolved file). */
const SDKS = '^node_modules/(twilio|@twilio/voice-sdk|@aws-sdk/[^/]+|openai|@google/genai|@google/generative-ai|ably)/';
/**
 * twilio-node's TwiML builders: pure (they require only ./TwiML and xmlbuilder, no HTTP client,
 * no credentials), so domain code renders TwiML with the library that defines it. Exactly these
 * two files; the rest of `twilio` stays in the telephony adapter.
 */
const TWIML_BUILDERS = '^node_modules/twilio/lib/twiml/(VoiceResponse|MessagingResponse)\\.js$';
/**
 * Test code: test files, test helpers (`test-*.ts`), fake vendors (`fake-*.ts`), the ports'
 * contract suites and tests/. Product code is everything else under src/ and convex/.
 */
const TEST_CODE = '\\.test\\.ts$|(^|/)(test|fake)-[^/]*\\.ts$|^src/lib/server/adapters/[^/]+/contract\\.ts$|^tests/';
/** Inside a port's folder, what others may import: the port's interface and its index (the factory). */
/** What product code may import of an adapter: its port, its factory, and the plain data it declares (the supported models, checked at start). */
const PORT_SURFACE = '^src/lib/server/adapters/[^/]+/(index|port|models)\\.ts$';
/**
 * Where the app mounts the local carrier (Telephony's twin) for people and browsers: its
 * REST/scenario routes, the customer phone page, the softphone's local device channel. They
 * drive the carrier itself, so they may import its surface, `telephony/carrier/index.ts`.
 */
const CARRIER_MOUNTS = '^src/routes/carrier/|^src/routes/phone/|^src/lib/server/softphone/device-channel\\.ts$';
const CARRIER_SURFACE = '^src/lib/server/adapters/telephony/carrier/index\\.ts$';

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
			comment: 'Domain code (src/lib/server/<area>) imports neither routes nor tRPC. Tests may (the authorization walk calls every procedure).',
			severity: 'error',
			from: { path: '^src/lib/server/(?!trpc/)[^/]+/', pathNot: TEST_CODE },
			to: { path: '^src/routes/|^src/lib/server/trpc/|^node_modules/@trpc/' }
		},
		{
			name: 'no-test-code-in-product',
			comment: 'Product code never imports test files, test helpers (test-*.ts), contract suites or tests/.',
			severity: 'error',
			from: { path: '^(src|convex)/', pathNot: TEST_CODE },
			to: { path: TEST_CODE }
		},
		{
			name: 'no-scripts-or-bench-in-src',
			comment:
				'Benchmarks live in scripts/bench/ and run only from `npm run bench`; nothing under src/ or convex/ (tests included) imports scripts/ or bench code.',
			severity: 'error',
			from: { path: '^(src|convex)/' },
			to: { path: '^scripts/|(^|/)bench[^/]*\\.ts$' }
		},
		{
			name: 'adapters-through-their-port',
			comment:
				'Product code outside the adapters reaches an adapter through its port and index.ts (the factory picks the vendor or the twin), never <vendor>.ts, local.ts or other internals.',
			severity: 'error',
			from: { path: '^(src|convex)/', pathNot: `^src/lib/server/adapters/[^/]+/|${CARRIER_MOUNTS}|${TEST_CODE}` },
			to: { path: '^src/lib/server/adapters/[^/]+/', pathNot: PORT_SURFACE }
		},
		{
			name: 'carrier-mounts-through-its-surface',
			comment: "The carrier's mount points (CARRIER_MOUNTS) are held to the same rule, except that they may import the carrier's index.ts.",
			severity: 'error',
			from: { path: CARRIER_MOUNTS, pathNot: TEST_CODE },
			to: { path: '^src/lib/server/adapters/[^/]+/', pathNot: `${PORT_SURFACE}|${CARRIER_SURFACE}` }
		},
		{
			name: 'adapters-not-into-each-other',
			comment: "An adapter folder reaches another port only through that port's port.ts or index.ts.",
			severity: 'error',
			from: { path: '^src/lib/server/adapters/([^/]+)/', pathNot: TEST_CODE },
			to: { path: '^src/lib/server/adapters/[^/]+/', pathNot: `^src/lib/server/adapters/$1/|${PORT_SURFACE}` }
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
