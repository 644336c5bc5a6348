/**
 * Live transcription end to end in Chromium with the local carrier: a scripted caller's lines
 * appear, speaker by speaker, in the agent's softphone while the call is on, and a supervisor
 * reads the same running transcript under the call on the wallboard. LIVE_TRANSCRIPTION is off
 * by default, so this spec starts its own server (port E2E_PORT + 161, 4367 beside 4206) with it
 * on, on a PGlite directory of its own that is removed once that server has exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, test } from './helpers';

const PORT = Number(process.env.E2E_PORT ?? 4206) + 161;
const BASE = `http://localhost:${PORT}`;
let server: ChildProcess | undefined;
let dir = '';

test.beforeAll(async () => {
	test.setTimeout(150_000);
	dir = await mkdtemp(path.join(tmpdir(), 'live-transcript-e2e-'));
	server = spawn('node', ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(PORT),
			HOST: '127.0.0.1',
			PUBLIC_BASE_URL: BASE,
			ORIGIN: BASE,
			NODE_ENV: 'development',
			PGLITE_DIR: path.join(dir, 'db'),
			DATA_DIR: path.join(dir, 'data'),
			LOG_LEVEL: 'warn',
			LIVE_TRANSCRIPTION: 'partial'
		},
		stdio: 'ignore'
	});
	await expect(async () => expect((await fetch(`${BASE}/healthz`)).ok).toBe(true)).toPass({ timeout: 90_000, intervals: [250, 500, 1000] });
});

test.afterAll(async () => {
	const child = server;
	if (child?.pid && child.exitCode === null && child.signalCode === null) {
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}
	await rm(dir, { recursive: true, force: true });
});

async function signedIn(browser: Browser, email: string, to = '/'): Promise<Page> {
	const page = await (await browser.newContext({ baseURL: BASE })).newPage();
	await page.goto(`/login?redirectTo=${encodeURIComponent(to)}`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	await expect(page.getByTestId('live-connection')).toHaveAttribute('data-state', 'live');
	return page;
}

test("a scripted caller's words appear live in the softphone and on the wallboard, speaker by speaker", async ({ browser }) => {
	// Two browsers, a call and its lines said over ~8 s, on a shared 2-core machine.
	test.setTimeout(120_000);
	const agent = await signedIn(browser, 'alice@switchboard.local');
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await agent.getByLabel('My status').selectOption('available');
	await expect(agent.getByLabel('My status')).toHaveValue('available');

	const origin = new URL(agent.url()).origin;
	const placed = await agent.request.post('/carrier/scenario/call', {
		data: {
			from: '+13125550177',
			to: '+14155550100',
			script: [
				{ speaker: 'customer', text: 'Hello, my parcel never arrived.' },
				{ speaker: 'agent', text: 'I am sorry, let me look into that.' }
			]
		},
		headers: { origin }
	});
	expect(placed.status()).toBe(201);
	const { callSid } = (await placed.json()) as { callSid: string };
	await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await softphone.getByRole('button', { name: /Accept/ }).click();

	const transcript = softphone.getByTestId('softphone-transcript');
	const lines = transcript.getByTestId('softphone-transcript-line');
	await expect(lines.first()).toHaveText(/Hello, my parcel never arrived\./, { timeout: 20_000 });
	await expect(lines.first()).toHaveAttribute('data-speaker', 'customer');
	await expect(transcript.getByRole('log')).toHaveAttribute('aria-live', 'polite');
	await expect(lines.nth(1)).toHaveText(/^You:\s*I am sorry, let me look into that\.$/, { timeout: 20_000 });
	await expect(lines.nth(1)).toHaveAttribute('data-speaker', 'agent');

	const supervisor = await signedIn(browser, 'heidi@switchboard.local', '/wallboard');
	const call = supervisor.getByTestId('wallboard-call').filter({ hasText: 'Alice' });
	await call.getByText('Live transcript').click();
	const board = call.getByTestId('wallboard-transcript');
	await expect(board.getByTestId('wallboard-transcript-line')).toHaveText([/Hello, my parcel never arrived\./, /Alice.*I am sorry, let me look into that\./]);

	expect((await agent.request.post(`/carrier/scenario/calls/${callSid}/hangup`, { headers: { origin } })).status()).toBe(200);
	await expect(softphone.getByRole('form', { name: 'Wrap-up' })).toBeVisible({ timeout: 20_000 });
});
