/**
 * A caller who gives up in the queue is owed a call back: the task appears on the callbacks page
 * of agents with the queue's skill (refreshing by itself), one of them takes it and it leaves the
 * other's list, closes it with an outcome, and the customer's timeline shows it done.
 */
import { expect, phonePage, signedIn, test } from './helpers';

test('an abandoned caller becomes a callback task that an agent takes and closes', async ({ browser }) => {
	// Three browsers and a 6 s wait in the queue: ~30 s on a quiet box, more when the 2 cores are shared.
	test.setTimeout(90_000);
	const caller = '+13125550188';
	const phone = await phonePage(browser);
	await phone.goto('/phone');
	await phone.getByLabel('Your number (caller ID)').fill(caller);
	await expect(phone.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
	await phone.getByLabel('Switchboard number').fill('+14155550101');
	await phone.getByRole('button', { name: 'Call', exact: true }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', /ringing|in-progress/);

	// Erin and Bob both have the support skill; both watch the callbacks list.
	const erin = await signedIn(browser, 'erin@switchboard.local', '/callbacks');
	const bob = await signedIn(browser, 'bob@switchboard.local', '/callbacks');
	await expect(erin.getByRole('heading', { name: 'Callbacks' })).toBeVisible();
	// Long enough to be owed a call back (short hang-ups are not), then the caller gives up: the
	// phone's own call timer says when 6 s have passed, however slowly the machine runs.
	const status = phone.getByTestId('call-status');
	await expect(status).toContainText('Waiting in the support queue');
	const onCall = async () => {
		const m = /(\d+):(\d\d)(?!\d)/.exec((await status.textContent()) ?? '');
		return m ? Number(m[1]) * 60 + Number(m[2]) : -1;
	};
	await expect.poll(onCall, { message: 'the caller has waited 6 s', timeout: 30_000 }).toBeGreaterThanOrEqual(6);
	await phone.getByRole('button', { name: 'Hang up' }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');

	const forErin = erin.getByTestId('open-callback').filter({ hasText: caller });
	const forBob = bob.getByTestId('open-callback').filter({ hasText: caller });
	await expect(forErin).toBeVisible({ timeout: 15_000 });
	await expect(forBob).toBeVisible({ timeout: 15_000 });
	await expect(forErin).toContainText('Hung up in the queue after waiting');
	await expect(forErin).toContainText('support queue');

	await forErin.getByRole('button', { name: /Take the callback/ }).click();
	const mine = erin.getByTestId('my-callback').filter({ hasText: caller });
	await expect(mine).toBeVisible();
	// Bob's list refreshes by itself and drops the task Erin took.
	await expect(forBob).toHaveCount(0, { timeout: 15_000 });
	await erin.screenshot({ path: 'test-results/callbacks.png', fullPage: true });

	await mine.getByLabel('Outcome').selectOption('reached');
	await mine.getByLabel('Notes').fill('Called back, order question answered.');
	await mine.getByRole('button', { name: 'Mark done' }).click();
	await expect(erin.getByRole('status').filter({ hasText: 'closed: Reached the caller' })).toBeVisible();
	await expect(mine).toHaveCount(0);

	// The customer record (an unknown caller, made on the first call) shows the callback done.
	await erin.goto('/customers?q=' + encodeURIComponent('3125550188'));
	await erin.getByRole('link', { name: /Unknown caller/ }).first().click();
	const entry = erin.getByTestId('timeline-callback').first();
	await expect(entry).toHaveAttribute('data-status', 'done');
	await expect(entry).toContainText('Done: Reached the caller');
	await expect(entry).toContainText('Called back, order question answered.');
	await expect(erin.getByTestId('timeline-call').first()).toContainText('Abandoned');
	await erin.screenshot({ path: 'test-results/callback-timeline.png', fullPage: true });
});
