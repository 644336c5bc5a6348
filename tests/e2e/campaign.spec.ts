/**
 * A next-call campaign in Chromium, under the fixed outbound clock (OUTBOUND_CLOCK_START
 * 2026-12-07T17:00Z: noon in New York, 07:00 in Honolulu). A manager creates a campaign and
 * imports six leads: one on the Do-Not-Call ledger, one invalid number, one in Hawaii (outside
 * the calling window now), one already a customer, two fresh. The invalid row is reported at
 * import; the agent works Next call: the DNC and closed-window leads are refused with their
 * reasons on screen, the rest are dialled in order, and the manager's progress view follows live.
 */
import type { Page } from '@playwright/test';
import { expect, signedIn, test, wrapUp as softphoneWrapUp } from './helpers';

const CSV = [
	'name,phone,company',
	'Dee Ncall,+1 212 555 0141,Opted Out Inc',
	'Bad Number,415 555 01,Nowhere',
	'Aloha Lead,+1 808 555 0142,Island Co',
	'Known Customer,(212) 555-0143,Already Here',
	'Fresh One,+1 212 555 0144,New Co',
	'Fresh Two,+1 415 555 0145,New Co'
].join('\n');

/** A tRPC mutation from the signed-in page (same origin, its session). */
async function trpcMutation(page: Page, path: string, input: unknown): Promise<void> {
	const status = await page.evaluate(
		async ({ path, input }) => (await fetch(`/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).status,
		{ path, input }
	);
	expect(status, `${path} answered ${status}`).toBe(200);
}

test('a manager imports six leads and an agent works them with Next call while the progress view follows', async ({ browser }) => {
	test.setTimeout(90_000);
	const manager = await signedIn(browser, 'frank@switchboard.local', '/campaigns');
	await trpcMutation(manager, 'compliance.add', { phone: '+12125550141', channel: 'all', reason: 'Asked not to be called' });
	await trpcMutation(manager, 'crm.create', { firstName: 'Known', lastName: 'Customer', phones: [{ number: '+12125550143', label: 'work' }] });

	await manager.getByLabel('Name', { exact: true }).fill('Winter outreach');
	await manager.getByLabel('Caller-ID number').fill('+1 415 555 0100');
	await manager.getByLabel('Calling hours from (their time)').fill('00:00');
	await manager.getByLabel('Until').fill('23:59');
	await manager.getByRole('button', { name: 'Create campaign' }).click();
	await expect(manager.getByRole('status').filter({ hasText: 'Created "Winter outreach"' })).toBeVisible();

	await manager.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Winter outreach' });
	await manager.getByLabel('Lead file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
	await manager.getByRole('button', { name: 'Import' }).click();
	const report = manager.getByTestId('import-report');
	await expect(report).toContainText('Imported 5 of 6 rows; 1 matched existing customers.');
	await expect(report.getByTestId('import-error')).toHaveText(["Line 3: '415 555 01' is not a valid phone number; check the area code and digits, e.g. +1 415 555 0100."]);
	const row = manager.locator('[data-testid="campaign-row"][data-campaign="Winter outreach"]');
	await expect(row.getByTestId('progress-remaining')).toHaveText('5 of 5');

	const agent = await signedIn(browser, 'alice@switchboard.local', '/campaigns');
	await agent.locator('[data-testid="campaign-row"][data-campaign="Winter outreach"]').getByRole('link', { name: 'Work this campaign' }).click();
	await expect(agent.getByRole('heading', { name: 'Winter outreach' })).toBeVisible();
	const lead = agent.getByTestId('current-lead');
	const outcomes = agent.getByTestId('outcome');

	// Pressing N claims the next lead; the preview counts down, Enter calls at once.
	const callNext = async (name: string) => {
		await agent.getByRole('button', { name: 'Next call' }).click();
		await expect(lead).toContainText(name);
		await expect(agent.getByTestId('countdown')).toBeVisible();
		await agent.getByRole('button', { name: 'Call now' }).click();
	};
	await callNext('Dee Ncall');
	await expect(outcomes.first()).toContainText('Refused:');
	await expect(outcomes.first()).toContainText('Do-Not-Contact');
	await callNext('Aloha Lead');
	await expect(outcomes.first()).toContainText("recipient's local time 07:00");

	await callNext('Known Customer');
	await expect(outcomes.first()).toContainText('Dialled from +14155550100');
	await expect(row.getByTestId('progress-dialled')).toHaveText('1');
	await expect(row.getByTestId('progress-refused')).toHaveText('2');

	// Wrap-up decides the lead; the next one is previewed by itself.
	// Each allowed lead is really called from the docked softphone (no phone answers these numbers):
	// the agent hangs up before recording the campaign's disposition.
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	const wrapUp = async (disposition: string, next: string | null) => {
		// Connected first: a hang-up while the dial is still being placed ends it with nothing to wrap up.
		await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'active');
		await softphone.getByRole('button', { name: 'Hang up' }).click();
		await expect(softphone.getByTestId('softphone-call')).toHaveCount(0);
		// The softphone's own wrap-up (the call record) and the campaign's disposition (the lead) are separate forms today.
		await softphoneWrapUp(agent, 'Resolved');
		await agent.getByRole('region', { name: 'Current lead' }).getByLabel('Disposition').selectOption(disposition);
		await agent.getByRole('button', { name: 'Save and next' }).click();
		if (next) {
			await expect(lead).toContainText(next);
			await agent.getByRole('button', { name: 'Call now' }).click();
		}
	};
	await wrapUp('Sale', 'Fresh One');
	await expect(outcomes.first()).toContainText('Dialled');
	await wrapUp('No answer', 'Fresh Two');
	await expect(row.getByTestId('progress-dialled')).toHaveText('3');
	await wrapUp('Sale', null);
	await expect(agent.getByRole('status').filter({ hasText: 'No lead is due now' })).toBeVisible();

	await expect(outcomes.locator('.font-medium')).toHaveText(['Fresh Two', 'Fresh Two', 'Fresh One', 'Fresh One', 'Known Customer', 'Known Customer', 'Aloha Lead', 'Dee Ncall']);
	await expect(row.getByTestId('progress-reached')).toHaveText('2');
	await expect(row.getByTestId('progress-remaining')).toHaveText('2 of 5');
	await expect(row.getByTestId('progress-dispositions')).toHaveText('No answer: 1Sale: 2');
});
