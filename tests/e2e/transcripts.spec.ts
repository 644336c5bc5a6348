/**
 * Transcripts end to end in Chromium with the local carrier: a scripted caller and the agent each
 * say a known line on a recorded call, and the call's transcript appears on the customer's
 * timeline by itself, every line labelled agent or customer; a voicemail a scripted caller leaves
 * shows its transcript in the callback task, and the queue's agent gets a notice of it.
 * The lines come from the call-center phrases the offline recogniser knows best: it misses many
 * words of open speech (see the accuracy test), so what is asserted is that each side's line is
 * there and carries a word of what was said.
 */
import type { Page } from '@playwright/test';
import { cleanup, expect, signedIn, test } from './helpers';

/** A scripted call placed through the carrier's scenario API, as signed-in staff (same origin). */
async function scriptedCall(page: Page, from: string, to: string, script: { speaker: 'customer' | 'agent'; text: string }[]): Promise<string> {
	const origin = new URL(page.url()).origin;
	const res = await page.request.post('/carrier/scenario/call', { data: { from, to, script }, headers: { origin } });
	expect(res.status()).toBe(201);
	return ((await res.json()) as { callSid: string }).callSid;
}

async function callTrpc(page: Page, path: string, input: unknown, method: 'POST' | 'GET' = 'POST'): Promise<{ status: number; body: unknown }> {
	return page.evaluate(
		async ({ path, input, method }) => {
			const url = method === 'GET' ? `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `/api/trpc/${path}`;
			const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(input) } : {}) });
			return { status: res.status, body: (await res.json()) as unknown };
		},
		{ path, input, method }
	);
}

test('a recorded call is transcribed onto the customer timeline, each line labelled agent or customer', async ({ browser }) => {
	// A call of ~10 s, its recording job and two recognitions of ~5 s audio on a shared 2-core box.
	test.setTimeout(120_000);
	const agent = await signedIn(browser, 'alice@switchboard.local');
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await agent.getByLabel('My status').selectOption('available');
	await expect(agent.getByLabel('My status')).toHaveValue('available');

	const callSid = await scriptedCall(agent, '+13125550191', '+14155550100', [
		{ speaker: 'agent', text: 'Thank you for calling. How can I help you today?' },
		{ speaker: 'customer', text: 'Hi, I am calling about my order.' }
	]);
	await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await softphone.getByRole('button', { name: /Accept/ }).click();
	// Long enough for both lines to be said (the carrier lays them out from the answer on).
	const timer = softphone.getByTestId('softphone-timer');
	await expect
		.poll(async () => {
			const [m = 0, sec = 0] = ((await timer.textContent()) ?? '').split(':').map(Number);
			return m * 60 + sec;
		}, { timeout: 30_000 })
		.toBeGreaterThanOrEqual(8);
	await softphone.getByRole('link', { name: 'Open customer record' }).click();
	await expect(agent).toHaveURL(/\/customers\/[0-9a-f-]{36}$/);
	// The caller hangs up (the carrier's scenario API), which ends the call for both sides.
	const origin = new URL(agent.url()).origin;
	expect((await agent.request.post(`/carrier/scenario/calls/${callSid}/hangup`, { headers: { origin } })).status()).toBe(200);
	const wrapUp = softphone.getByRole('form', { name: 'Wrap-up' });
	await wrapUp.getByLabel('Disposition').selectOption('Resolved');
	// Saving waits for the call to be over in the archive (its completed status callback).
	const save = wrapUp.getByRole('button', { name: 'Save and finish wrap-up' });
	await expect(async () => {
		if (await save.isVisible()) await save.click({ timeout: 2_000 });
		await expect(softphone).toContainText('Waiting for calls.', { timeout: 3_000 });
	}).toPass({ timeout: 45_000 });

	const entry = agent.getByTestId('timeline-call').first();
	// The call's timeline entry is written by a job after the call closes; the page shows it on load.
	await expect(async () => {
		await agent.reload();
		await expect(entry).toBeVisible({ timeout: 2_000 });
	}).toPass({ timeout: 30_000 });
	// Queued, then transcribing, then the lines: the entry follows by itself.
	await expect(entry).toHaveAttribute('data-transcript', 'done', { timeout: 90_000 });
	const transcript = entry.getByTestId('transcript');
	const agentLines = transcript.locator('[data-testid="transcript-line"][data-speaker="agent"]');
	const customerLines = transcript.locator('[data-testid="transcript-line"][data-speaker="customer"]');
	await expect(agentLines.first()).toContainText('Agent');
	await expect(customerLines.first()).toContainText('Customer');
	await expect(agentLines.first()).toContainText(/thank|calling|help|today/i);
	await expect(customerLines.first()).toContainText(/calling|order/i);
	// The agent spoke first; lines are in time order.
	await expect(transcript.getByTestId('transcript-line').first()).toHaveAttribute('data-speaker', 'agent');
	await agent.screenshot({ path: 'test-results/transcript-timeline.png', fullPage: true });
});

test("a voicemail's transcript shows in the callback task, and the queue's agent is told", async ({ browser }) => {
	test.setTimeout(120_000);
	// The support line closed all week: callers go straight to voicemail.
	const admin = await signedIn(browser, 'admin@switchboard.local');
	const listed = await callTrpc(admin, 'admin.listQueues', undefined, 'GET');
	expect(listed.status).toBe(200);
	const queues = (listed.body as { result: { data: Record<string, unknown>[] } }).result.data;
	const support = queues.find((q) => q.number === '+14155550101');
	expect(support).toBeTruthy();
	const { createdAt: _createdAt, ...settings } = support!;
	const save = (openingHours: unknown) => callTrpc(admin, 'admin.saveQueue', { originalNumber: settings.number, queue: { ...settings, openingHours } });
	expect((await save({ timezone: 'UTC', days: {} })).status).toBe(200);
	try {
		const erin = await signedIn(browser, 'erin@switchboard.local', '/callbacks');
		await expect(erin.getByRole('heading', { name: 'Callbacks' })).toBeVisible();
		const caller = '+13125550192';
		await scriptedCall(erin, caller, '+14155550101', [{ speaker: 'customer', text: 'Hi, I am calling about my bill. Please call me back.' }]);

		const task = erin.getByTestId('open-callback').filter({ hasText: caller });
		await expect(task).toBeVisible({ timeout: 45_000 });
		const transcript = task.getByTestId('transcript');
		await expect(transcript).toBeVisible({ timeout: 90_000 });
		const line = transcript.getByTestId('transcript-line').first();
		await expect(line).toHaveAttribute('data-speaker', 'customer');
		await expect(line).toContainText(/calling|bill|call|back/i);
		// The notice to the queue's agents (Broadcast), with the first words.
		const notice = erin.getByTestId('voicemail-notice').first();
		await expect(notice).toContainText('support queue');
		await erin.screenshot({ path: 'test-results/transcript-voicemail.png', fullPage: true });
	} finally {
		await cleanup(() => save(settings.openingHours ?? null));
	}
});
