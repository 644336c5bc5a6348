/**
 * Search in real Chromium: a phrase from a call's transcript is found with the phrase
 * highlighted, and clicking the matching line plays the recording from that line's second;
 * hostile search text never breaks the page, and a text message full of markup is shown as
 * inert text.
 *
 * The transcript is seeded straight into the archive (the transcription job is another branch's):
 * this spec starts its own server (port E2E_PORT + 157, 4363 by default beside 4206) on a PGlite directory it
 * wrote first (a customer, a call with its stored recording and transcript, a hostile text).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { LocalStorage } from '../../src/lib/server/adapters/storage/local';
import { openDatabase } from '../../src/lib/server/db/client';
import { calls } from '../../src/lib/server/db/schema/calls';
import { customers } from '../../src/lib/server/db/schema/crm';
import { insertText, insertTranscribedCall } from '../../src/lib/server/search/test-search-data';
import { DEMO_PASSWORD, expect, test } from './helpers';
import { eq } from 'drizzle-orm';

const PORT = Number(process.env.E2E_PORT ?? 4206) + 157;
const BASE = `http://localhost:${PORT}`;
const PHRASE_LINE_START = 10;
const HOSTILE_TEXT = 'Parrot alert <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> &amp; {@html x}';

let dir: string;
let server: ChildProcess | undefined;
let callId: string;

/** A mono 8 kHz 16-bit WAV of `seconds` of a quiet tone. */
function toneWav(seconds: number): Uint8Array {
	const rate = 8000;
	const samples = rate * seconds;
	const buf = Buffer.alloc(44 + samples * 2);
	buf.write('RIFF', 0);
	buf.writeUInt32LE(36 + samples * 2, 4);
	buf.write('WAVEfmt ', 8);
	buf.writeUInt32LE(16, 16);
	buf.writeUInt16LE(1, 20);
	buf.writeUInt16LE(1, 22);
	buf.writeUInt32LE(rate, 24);
	buf.writeUInt32LE(rate * 2, 28);
	buf.writeUInt16LE(2, 32);
	buf.writeUInt16LE(16, 34);
	buf.write('data', 36);
	buf.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) buf.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
	return buf;
}

async function seedArchive(): Promise<void> {
	const database = await openDatabase({ driver: 'pglite', dir: path.join(dir, 'db') });
	try {
		const db = database.db;
		const [customer] = await db.insert(customers).values({ firstName: 'Petra', lastName: 'Parcel' }).returning({ id: customers.id });
		callId = await insertTranscribedCall(db, {
			customerId: customer?.id,
			queue: 'support',
			lines: [
				{ speaker: 'agent', start: 0, end: 4, text: 'Thanks for calling support, this is Erin.' },
				{ speaker: 'customer', start: 4, end: 9, text: 'Hello, I am calling about my order.' },
				{ speaker: 'customer', start: PHRASE_LINE_START, end: 16, text: 'My parcel never arrived at the depot.' },
				{ speaker: 'agent', start: 17, end: 22, text: 'I am sorry, let me send a replacement.' }
			]
		});
		const key = `recordings/${callId}.wav`;
		const storage = new LocalStorage({ root: path.join(dir, 'data', 'files'), secret: 'unused-for-put', publicBaseUrl: BASE });
		await storage.put(key, toneWav(25), 'audio/wav');
		await db.update(calls).set({ recordingKey: key, recordingSeconds: 25, recordingChannels: 1 }).where(eq(calls.id, callId));
		await insertText(db, { body: HOSTILE_TEXT, customerId: customer?.id });
	} finally {
		await database.close();
	}
}

async function waitForHealth(): Promise<void> {
	await expect(async () => expect((await fetch(`${BASE}/healthz`)).ok).toBe(true)).toPass({ timeout: 90_000, intervals: [250, 500, 1000] });
}

test.beforeAll(async () => {
	test.setTimeout(150_000);
	dir = await mkdtemp(path.join(tmpdir(), 'search-e2e-'));
	await seedArchive();
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
			LOG_LEVEL: 'warn'
		},
		stdio: 'ignore'
	});
	await waitForHealth();
});

test.afterAll(async () => {
	// The data folder goes once the server has let go of it: wait for its exit, not for a time.
	const child = server;
	if (child?.pid && child.exitCode === null && child.signalCode === null) {
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}
	await rm(dir, { recursive: true, force: true });
});

async function signedIn(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext({ baseURL: BASE })).newPage();
	await page.goto('/login?redirectTo=%2F');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	return page;
}

test('a phrase from a transcript finds the call highlighted; its line plays the recording from there', async ({ browser }) => {
	const page = await signedIn(browser, 'grace@switchboard.local');
	await page.locator('body').press('/');
	await expect(page.getByTestId('global-search')).toBeFocused();
	await page.getByTestId('global-search').fill('"parcel never arrived"');
	await page.getByTestId('global-search').press('Enter');
	await page.waitForURL(/\/search\?q=/);

	const hit = page.locator(`[data-testid="search-hit"][data-id="${callId}"]`);
	await expect(hit).toHaveCount(1);
	await expect(hit).toContainText('Petra Parcel');
	await expect(hit.locator('mark')).toHaveText(['parcel', 'never', 'arrived']);

	const line = hit.getByTestId('search-line');
	await expect(line).toHaveAttribute('data-start', String(PHRASE_LINE_START));
	await line.click();
	const player = hit.getByTestId('recording-player');
	await expect(player).toBeVisible();
	await expect
		.poll(() => player.evaluate((a: HTMLAudioElement, start) => ({ playing: !a.paused, from: a.currentTime >= start }), PHRASE_LINE_START))
		.toEqual({ playing: true, from: true });
});

test('hostile search text answers a page, never an error; a text full of markup stays inert', async ({ browser }) => {
	const page = await signedIn(browser, 'frank@switchboard.local');
	const hostile = ['"', '&|!():*', "'; drop table call_transcripts; --", '<script>window.__pwned = 3</script>', '🙂 parcel 🙂', 'x'.repeat(10_000)];
	await page.goto('/search');
	const box = page.getByTestId('search-query');
	for (const q of hostile) {
		await box.fill(q);
		await box.press('Enter');
		await page.waitForURL((url) => url.searchParams.get('q') === q);
		await expect(page.getByTestId('search-summary')).toBeVisible();
		await expect(page.getByRole('alert')).toHaveCount(0);
	}
	await expect(page.getByTestId('search-summary')).toContainText('Only the first 256 characters');

	await page.goto('/search?q=parrot');
	const hit = page.locator('[data-testid="search-hit"][data-channel="sms"]');
	await expect(hit).toHaveCount(1);
	await expect(hit.getByTestId('snippet')).toHaveText(HOSTILE_TEXT);
	await expect(hit.locator('mark')).toHaveText(['Parrot']);
	await expect(hit.locator('img, script')).toHaveCount(0);
	expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
