/**
 * A call end to end in Chromium with the local carrier: a customer calls from /phone, the agent
 * accepts, opens the record from the screen pop, hangs up and saves the wrap-up; the call is on
 * the customer's timeline with its details, and its recording plays through a short-lived signed
 * URL that the page asks for only on play (a tampered URL answers 403).
 */
import { expect, phonePage, signedIn, test } from './helpers';

test('an answered call lands on the timeline with its details and a playable recording', async ({ browser }) => {
	// Two browsers, a recording job and a player: ~20 s on a quiet box, more when the 2 cores are shared.
	test.setTimeout(90_000);
	const agent = await signedIn(browser, 'alice@switchboard.local');
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await agent.getByLabel('My status').selectOption('available');
	await expect(agent.getByLabel('My status')).toHaveValue('available');

	const caller = '+13125550177';
	const phone = await phonePage(browser);
	await phone.goto('/phone');
	await phone.getByLabel('Your number (caller ID)').fill(caller);
	await expect(phone.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
	await phone.getByLabel('Switchboard number').fill('+14155550100');
	await phone.getByRole('button', { name: 'Call', exact: true }).click();

	await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await softphone.getByRole('button', { name: /Accept/ }).click();
	// The timer runs: it reaches 2 s whatever it showed first (a busy machine may skip a tick).
	const timer = softphone.getByTestId('softphone-timer');
	await expect(timer).toHaveText(/^\d+:\d\d$/);
	await expect
		.poll(async () => {
			const [m = 0, sec = 0] = ((await timer.textContent()) ?? '').split(':').map(Number);
			return m * 60 + sec;
		})
		.toBeGreaterThanOrEqual(2);
	// The recording can be paused (and resumed) from the softphone; the server does it at the carrier.
	const recording = softphone.getByTestId('softphone-recording');
	await expect(recording).toHaveAttribute('data-state', 'on');
	await recording.getByRole('button', { name: 'Pause' }).click();
	await expect(recording).toHaveAttribute('data-state', 'paused');
	await expect(recording).toContainText('Recording paused');
	await softphone.screenshot({ path: 'test-results/softphone-paused.png' });
	await recording.getByRole('button', { name: 'Resume' }).click();
	await expect(recording).toHaveAttribute('data-state', 'on');
	await softphone.getByRole('link', { name: 'Open customer record' }).click();
	await expect(agent).toHaveURL(/\/customers\/[0-9a-f-]{36}$/);
	// No recording link is in the page ahead of time.
	expect(await agent.content()).not.toContain('/files/recordings/');

	await softphone.getByRole('button', { name: 'Hang up' }).click();
	const wrapUp = softphone.getByRole('form', { name: 'Wrap-up' });
	// The sales queue's 60 s of wrap-up count down in the form (Ready now would end them early).
	await expect(wrapUp.getByTestId('wrapup-countdown')).toContainText(/Back to Available in 0:[0-5]\d|1:00/);
	await expect(agent.getByLabel('My status')).toHaveValue('wrapup');
	await wrapUp.getByLabel('Disposition').selectOption('Resolved');
	await wrapUp.getByLabel('Notes').fill('Asked about <b>order</b> 4411; shipped today.');
	await wrapUp.getByRole('button', { name: 'Save and finish wrap-up' }).click();
	await expect(softphone).toContainText('Waiting for calls.');

	const entry = agent.getByTestId('timeline-call').first();
	await expect(entry).toContainText('Inbound call');
	await expect(entry).toContainText('Answered');
	await expect(entry).toContainText('Taken by Alice Moreno');
	await expect(entry).toContainText('sales queue');
	await expect(entry).toContainText(caller);
	// The caller's number on an inbound entry is a Call button (click-to-dial through the gate).
	await expect(entry.getByRole('button', { name: `Call back ${caller}` })).toBeVisible();
	await expect(entry).toContainText('Resolved');
	await expect(entry.getByText('Talk')).toBeVisible();
	await expect(entry.getByText('Wrap-up')).toBeVisible();
	// Notes are text, never markup.
	await expect(entry.getByTestId('timeline-call-notes')).toHaveText('Asked about <b>order</b> 4411; shipped today.');

	// Processing turns into a player by itself once the recording job has stored the file.
	await expect(entry).toHaveAttribute('data-recording', 'stored', { timeout: 45_000 });
	await entry.getByRole('button', { name: /Play recording/ }).click();
	const player = entry.getByTestId('recording-player');
	await expect(player).toBeVisible();
	const src = await player.getAttribute('src');
	expect(src).toMatch(/\/files\/recordings\/CA[0-9a-f]{32}\/RE[0-9a-f]{32}\.wav\?exp=\d+&sig=/);
	await expect.poll(() => player.evaluate((a: HTMLAudioElement) => (a.error ? `error ${a.error.code}` : a.readyState))).toBeGreaterThanOrEqual(1);
	expect(await player.evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(0);
	await agent.screenshot({ path: 'test-results/call-timeline.png', fullPage: true });

	const url = new URL(src ?? '', agent.url());
	const ok = await agent.request.get(url.href);
	expect(ok.status()).toBe(200);
	expect(ok.headers()['content-type']).toMatch(/^audio\//);
	expect((await ok.body()).subarray(0, 4).toString('ascii')).toBe('RIFF');

	// One character changed, always to another one (a signature that already ended in "AA" once
	// came back unchanged from a fixed replacement).
	const sig = url.searchParams.get('sig') ?? '';
	const tamperedSig = new URL(url);
	tamperedSig.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
	expect((await agent.request.get(tamperedSig.href)).status()).toBe(403);
	// Stretching the expiry breaks the signature too: an old link cannot be made to live longer.
	const longer = new URL(url);
	longer.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
	expect((await agent.request.get(longer.href)).status()).toBe(403);
	// (An honestly expired link answers 403 too: storage/local.test.ts moves the clock past it.)
});
