/**
 * The queue, with people on both ends in Chromium and the local carrier: three customers call
 * the support line while its only agent is away. Each customer's phone page shows what they
 * hear (the recording notice, their place in line, hold music); when the agent becomes free
 * the callers reach her one after the other, oldest first.
 */
import type { Page } from '@playwright/test';
import { callAs, cleanup, demoCallers, dial, expect, openPhone, setStatus, signedIn, test, wrapUp } from './helpers';

const SUPPORT = '+14155550101';
const NOTICE = 'This call may be recorded for quality and training.';
const PLACE = ['You are next in line.', 'You are caller number 2 in line.', 'You are caller number 3 in line.'];

/** A hold turn (announcement, then hold music) with room for a loaded machine. */
const HOLD_TURN_MS = 25_000;

const heard = (phone: Page) => phone.getByTestId('heard');

test('three callers and one agent: each hears the notice, their place and hold music, and is bridged in arrival order', async ({ browser }) => {
	test.setTimeout(150_000);
	// Erin is the support agent these specs use; nobody else with the skill is available.
	const [agent, ...phones] = await Promise.all([
		signedIn(browser, 'erin@switchboard.local'),
		...['+12125550100', '+12125550101', '+12125550102'].map((n) => openPhone(browser, n))
	]);
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await setStatus(agent, 'away');

	try {
		const callers = await demoCallers(phones[0] as Page, 3);
		await Promise.all(phones.map((phone, i) => callAs(phone, callers[i]?.number ?? '')));
		// They call one after the other: the notice starts once Switchboard has put the caller in line.
		for (const phone of phones) {
			await dial(phone, SUPPORT);
			await expect(heard(phone)).toContainText(NOTICE);
		}
		for (const [i, phone] of phones.entries()) {
			await expect(heard(phone)).toContainText(PLACE[i] ?? '');
			await expect(phone.getByTestId('call-status')).toContainText('Waiting in the support queue');
			await expect(heard(phone).locator('li[data-kind="music"]')).toContainText('Hold music');
			// The notice was the first thing each caller heard, and was said once.
			await expect(heard(phone).locator('li').first()).toHaveText(NOTICE);
		}
		await expect((phones[2] as Page).getByTestId('now-hearing')).toBeVisible();
		await expect(softphone.getByTestId('softphone-call')).toHaveCount(0);

		await setStatus(agent, 'available');
		for (const [i, caller] of callers.entries()) {
			const phone = phones[i] as Page;
			// The oldest caller still waiting, and nobody else, rings the agent (at the caller's next hold turn).
			await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing', { timeout: HOLD_TURN_MS });
			await expect(softphone.getByTestId('softphone-caller-number')).toHaveText(caller.number);
			await expect(softphone.getByTestId('softphone-caller-name')).toHaveText(caller.name);
			await softphone.getByRole('button', { name: /Accept/ }).click();
			await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'active');
			await expect(phone.getByTestId('call-status')).toContainText('Connected to an agent');
			for (const later of phones.slice(i + 1)) await expect(later.getByTestId('call-status')).toContainText('Waiting in the support queue');
			// Everyone behind moved up one place, and was told so.
			const next = phones[i + 1];
			if (next) await expect(heard(next)).toContainText(PLACE[i] ?? '', { timeout: HOLD_TURN_MS });
			const last = phones[i + 2];
			if (last) await expect(heard(last)).toContainText(PLACE[i + 1] ?? '', { timeout: HOLD_TURN_MS });

			await expect(softphone.getByTestId('softphone-timer')).toHaveText(/^0:0[1-9]$/);
			await softphone.getByRole('button', { name: 'Hang up' }).click();
			await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');
			await expect(agent.getByLabel('My status')).toHaveValue('wrapup');
			await wrapUp(agent, 'Resolved', `Caller ${i + 1} of 3`);
		}
		await expect(softphone).toContainText('Waiting for calls.');
	} finally {
		await cleanup(() => setStatus(agent, 'away'));
	}
});
