import { defineConfig } from '@playwright/test';

/** E2E_PORT lets several worktrees run the specs side by side. */
const PORT = Number(process.env.E2E_PORT ?? 4173);

/** Debian's chromium; Playwright cannot download its own browser on these machines. */
const CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/playwright',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 45_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		trace: 'retain-on-failure',
		// A click or fill still waiting after this long has failed (a disabled control, a page that
		// never came): the error names it instead of the test's own timeout.
		actionTimeout: 15_000,
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: CHROMIUM,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				// A microphone for the softphone and the customer phone (a generated tone), allowed without a prompt.
				'--use-fake-device-for-media-stream',
				'--use-fake-ui-for-media-stream'
			]
		}
	},
	webServer: {
		command: 'node scripts/start.js',
		url: `http://localhost:${PORT}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		env: {
			PORT: String(PORT),
			PUBLIC_BASE_URL: `http://localhost:${PORT}`,
			PGLITE_DIR: 'memory://',
			DATA_DIR: 'test-results/e2e-data',
			LOG_LEVEL: 'warn',
			// The outbound gate's clock starts here (local mode only): noon in New York, 07:00 in Honolulu (campaign.spec.ts).
			OUTBOUND_CLOCK_START: '2026-12-07T17:00:00Z'
		}
	}
});
