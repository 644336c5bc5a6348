/**
 * The supervisor's wallboard, live, with the local carrier: an agent's call shows with its running
 * duration, a second caller waits in the queue with their wait time, and when the agent ends
 * wrap-up early (Ready now) the waiting caller is put through to them. Both wrap-up forms save.
 * The agent's "open the record when I answer" setting (kept on the server) opens it on answer.
 */
import type { Locator } from '@playwright/test';
import { callAs, cleanup, demoCallers, dial, expect, openPhone, setStatus, signedIn, test } from './helpers';

const SALES = '+14155550100';
/** A hold turn (announcement and hold music) before the queue offers the caller again, with room for a loaded machine. */
const HOLD_TURN_MS = 30_000;

/** Seconds in a wallboard duration such as `1m 05s`. */
async function seconds(cell: Locator): Promise<number> {
	const m = /(\d+)m (\d+)s/.exec((await cell.textContent()) ?? '');
	return m ? Number(m[1]) * 60 + Number(m[2]) : -1;
}

test('the wallboard shows a live call with its duration and a queued caller with their wait; Ready now puts the caller through', async ({ browser }) => {
	test.setTimeout(120_000);
	// Alice is the one sales agent these specs make available.
	const [supervisor, agent, first, second] = await Promise.all([
		signedIn(browser, 'heidi@switchboard.local', '/wallboard'),
		signedIn(browser, 'alice@switchboard.local'),
		openPhone(browser, '+12125550120'),
		openPhone(browser, '+12125550121')
	]);
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	try {
		const [one, two] = await demoCallers(first, 2);
		if (!one || !two) throw new Error('no demo callers');
		await Promise.all([callAs(first, one.number), callAs(second, two.number)]);
		// Alice's setting, kept on the server: the caller's record opens by itself when she answers.
		await agent.goto('/settings');
		await agent.getByLabel('When I answer').check();
		await expect(agent.locator('#open-record-status')).toContainText('Saved');
		await agent.goto('/');
		await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
		await setStatus(agent, 'available');

		await dial(first, SALES);
		await expect(softphone.getByTestId('softphone-caller-name')).toHaveText(one.name);
		await softphone.getByRole('button', { name: /Accept/ }).click();
		await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'active');
		await expect(agent).toHaveURL(/\/customers\/[0-9a-f-]{36}$/);
		await expect(agent.getByRole('heading', { level: 1 })).toHaveText(one.name);
		await expect(softphone).toContainText('Their record is open');

		const live = supervisor.getByTestId('wallboard-call').filter({ hasText: `Alice Moreno with ${one.name}` });
		await expect(live).toHaveAttribute('data-state', 'in-progress');
		const duration = live.getByTestId('wallboard-call-duration');
		await expect(duration).toHaveText(/\dm \d\ds/);
		const talkedAtFirst = await seconds(duration);
		await expect.poll(() => seconds(duration), { message: 'the call duration runs' }).toBeGreaterThan(talkedAtFirst);
		await expect(supervisor.getByRole('row', { name: /Alice Moreno/ })).toContainText('Busy');

		// Alice is busy, so the second caller waits in the sales queue, and the wallboard counts their wait.
		await dial(second, SALES);
		const waiting = supervisor.getByTestId('wallboard-waiting').filter({ hasText: two.name });
		await expect(waiting).toContainText('sales');
		const wait = waiting.getByTestId('wallboard-wait');
		await expect(wait).toHaveText(/\dm \d\ds/);
		const waitedAtFirst = await seconds(wait);
		await expect.poll(() => seconds(wait), { message: 'the wait runs' }).toBeGreaterThan(waitedAtFirst);

		// Wrap-up, then Ready now: Alice is available before the queue's wrap-up time, and the caller is put through.
		await softphone.getByRole('button', { name: 'Hang up' }).click();
		const form = softphone.getByRole('form', { name: 'Wrap-up' });
		await expect(form).toHaveAttribute('data-state', 'wrapping');
		// Hanging up from the keyboard's point of view: the form takes focus, so the disposition is one key away.
		await expect(form.getByLabel('Disposition')).toBeFocused();
		await expect(live).toHaveAttribute('data-state', 'wrapup');
		await form.getByLabel('Disposition').selectOption('Sale');
		await form.getByRole('button', { name: 'Ready now' }).click();
		// Wait for the state Ready now leads to, not for its confirmation text: the waiting caller may
		// ring so fast that "You are Available" never renders.
		await expect(agent.getByLabel('My status')).toHaveValue(/available|ringing/);
		await expect(softphone.getByTestId('softphone-caller-name')).toHaveText(two.name, { timeout: HOLD_TURN_MS });
		await softphone.getByRole('button', { name: /Accept/ }).click();
		await expect(supervisor.getByTestId('wallboard-call').filter({ hasText: `Alice Moreno with ${two.name}` })).toHaveAttribute('data-state', 'in-progress');
		await expect(waiting).toHaveCount(0);
		await softphone.getByRole('button', { name: 'Hang up' }).click();

		// Two forms now: the call still in wrap-up first, then the earlier one, with its disposition kept.
		await expect(form).toContainText(`Wrap up the call with ${two.name}`);
		await expect(form).toContainText('One more call to wrap up after this one.');
		await form.getByLabel('Disposition').selectOption('Resolved');
		await form.getByRole('button', { name: 'Save and finish wrap-up' }).click();
		await expect(form).toContainText(`Wrap up the call with ${one.name}`);
		await expect(form.getByLabel('Disposition')).toHaveValue('Sale');
		await form.getByRole('button', { name: 'Save wrap-up' }).click();
		await expect(softphone).toContainText('Waiting for calls.');
		await expect(supervisor.getByTestId('wallboard-call').filter({ hasText: 'Alice Moreno' })).toHaveCount(0);
	} finally {
		await cleanup(
			() => setStatus(agent, 'away'),
			async () => {
				await agent.goto('/settings');
				await agent.getByLabel('Only when I click').check();
				await expect(agent.locator('#open-record-status')).toContainText('Saved');
			}
		);
	}
});
