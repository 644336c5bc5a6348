/**
 * An outbound call end to end in Chromium with the local carrier: an agent clicks Call on a
 * customer record, the customer phone page for that number rings, the customer answers, both
 * browsers hear each other, the agent hangs up and wraps up, and the customer's timeline shows
 * the outbound call with a recording that plays. The gate's clock starts at noon in New York
 * (OUTBOUND_CLOCK_START in playwright.config.ts), inside the calling window of a 312 number.
 */
import { demoCallers, expect, openPhone, signedIn, test } from './helpers';

test('an agent calls a customer from the record; the phone rings, both hear each other, and the call is on the timeline with its recording', async ({ browser }) => {
	// Two browsers, a recording job and a player, as call-timeline.spec.ts.
	test.setTimeout(90_000);
	const agent = await signedIn(browser, 'alice@switchboard.local');
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await agent.getByLabel('My status').selectOption('available');
	await expect(agent.getByLabel('My status')).toHaveValue('available');

	// A demo customer's number, and the customer phone page on the network as that number.
	const phone = await openPhone(browser, '+12125550100');
	const [customer] = await demoCallers(phone, 1);
	if (!customer) throw new Error('no demo customer');
	await phone.getByLabel('Your number (caller ID)').fill(customer.number);
	await expect(phone.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');

	await agent.goto(`/customers?q=${encodeURIComponent(customer.number)}`);
	await agent.getByRole('table', { name: 'Search results' }).getByRole('link').first().click();
	await expect(agent).toHaveURL(/\/customers\/[0-9a-f-]{36}$/);
	await agent.getByRole('button', { name: /^Call \(/ }).click();

	const ring = phone.getByRole('alert').filter({ hasText: 'Switchboard is calling you' });
	await expect(ring).toBeVisible();
	await ring.getByRole('button', { name: 'Answer' }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');
	await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'active');
	for (const audio of [softphone.getByTestId('softphone-audio'), phone.getByTestId('phone-audio')]) {
		await expect(audio).toHaveAttribute('data-state', 'connected');
		await expect(audio).toHaveAttribute('data-receiving', 'true');
	}

	await softphone.getByRole('button', { name: 'Hang up' }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');
	await expect(agent.getByLabel('My status')).toHaveValue('wrapup');
	const wrapUp = softphone.getByRole('form', { name: 'Wrap-up' });
	await wrapUp.getByLabel('Disposition').selectOption('Resolved');
	await wrapUp.getByLabel('Notes').fill('Called about the renewal.');
	await wrapUp.getByRole('button', { name: 'Save and finish wrap-up' }).click();
	await expect(agent.getByLabel('My status')).toHaveValue('available');

	const entry = agent.getByTestId('timeline-call').filter({ hasText: 'Outbound call' }).first();
	await expect(entry).toContainText('Placed by Alice Moreno');
	await expect(entry.getByTestId('timeline-call-notes')).toHaveText('Called about the renewal.');
	await expect(entry).toHaveAttribute('data-recording', 'stored', { timeout: 45_000 });
	await entry.getByRole('button', { name: /Play recording/ }).click();
	const player = entry.getByTestId('recording-player');
	await expect(player).toBeVisible();
	await expect.poll(() => player.evaluate((a: HTMLAudioElement) => (a.error ? `error ${a.error.code}` : a.readyState))).toBeGreaterThanOrEqual(1);
	expect(await player.evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(0);
});
