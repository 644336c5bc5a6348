/**
 * The Do-Not-Call/Text ledger end to end, in Chromium with the local carrier: the customer
 * texts STOP from the phone page, the agent's reply is refused in the composer with the entry's
 * date and source, START lets it through to the phone, the audit trail shows both entries and
 * exports them as CSV with formula cells defused. Bad input gets a clear answer.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { expect, phonePage, signedIn, test } from './helpers';

const SALES = '+14155550100';

async function openPhone(browser: Browser, caller: string): Promise<Page> {
	const page = await phonePage(browser);
	await page.goto('/phone');
	await page.getByLabel('Your number (caller ID)').fill(caller);
	await page.getByLabel('Switchboard number').fill(SALES);
	await expect(page.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
	return page;
}

async function textSwitchboard(phone: Page, body: string) {
	await phone.getByRole('textbox', { name: 'Message' }).fill(body);
	await phone.getByRole('button', { name: 'Send' }).click();
	await expect(phone.getByTestId('sms-sent').filter({ hasText: body }).last().getByTestId('sms-delivery')).toHaveAttribute('data-status', '200');
}

async function reply(agent: Page, body: string) {
	await agent.getByRole('textbox', { name: 'Message to the customer' }).fill(body);
	await agent.getByRole('button', { name: 'Send', exact: true }).click();
}

test('STOP blocks the reply in the composer with date and source, START lets it through, and the trail shows and exports both', async ({ browser }) => {
	const caller = '+13035550162';
	const today = new Date().toISOString().slice(0, 10);
	const phone = await openPhone(browser, caller);
	await textSwitchboard(phone, 'STOP');

	const agent = await signedIn(browser, 'alice@switchboard.local', '/sms');
	await agent.getByRole('searchbox', { name: 'Search conversations' }).fill('303 555 0162');
	await agent.getByRole('button', { name: /STOP/ }).first().click();
	await reply(agent, 'Can I ask why?');
	const blocked = agent.getByTestId('dnc-blocked');
	await expect(blocked).toContainText('Not sent (DNC_BLOCKED)');
	await expect(blocked.getByTestId('dnc-source')).toHaveText('the customer texted STOP');
	await expect(blocked.getByTestId('dnc-since').locator('time')).toHaveAttribute('datetime', new RegExp(`^${today}T`));
	await expect(blocked).toContainText(`+1 303 555 0162 opted out by keyword STOP on ${today}; they must text START to receive messages.`);
	// Nothing was sent: the customer only has the carrier's own STOP confirmation.
	await expect(phone.getByTestId('sms-received').filter({ hasText: 'Can I ask why?' })).toHaveCount(0);

	await textSwitchboard(phone, 'START');
	await reply(agent, 'Welcome back! How can we help?');
	await expect(blocked).toHaveCount(0);
	await expect(agent.getByTestId('message-status').last()).toHaveText('Delivered', { timeout: 15_000 });
	await expect(phone.getByTestId('sms-received').filter({ hasText: 'Welcome back! How can we help?' })).toBeVisible();

	// Both entries on the audit trail, newest first, with their source.
	const manager = await signedIn(browser, 'frank@switchboard.local', `/compliance?phone=${encodeURIComponent(caller)}`);
	const rows = manager.getByTestId('ledger-entry');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toHaveAttribute('data-action', 'opt_in');
	await expect(rows.nth(0)).toContainText('Keyword START');
	await expect(rows.nth(1)).toHaveAttribute('data-action', 'opt_out');
	await expect(rows.nth(1)).toContainText('Keyword STOP');
	await expect(rows.nth(1)).toContainText('The customer');

	// A manual entry whose reason a spreadsheet would run as a formula.
	const manage = manager.getByRole('region', { name: 'Add or remove a number' });
	await manage.getByLabel('Number').fill('+1 212 555 0188');
	await manage.getByLabel('Reason').fill('=HYPERLINK("http://evil.example","click")');
	await manager.getByRole('button', { name: 'Add to the list' }).click();
	await expect(manager.getByTestId('manage-outcome')).toHaveText('+1 212 555 0188 is on the Do-Not-Contact list.');

	await manager.goto('/compliance');
	const downloading = manager.waitForEvent('download');
	await manager.getByTestId('export-csv').click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^do-not-contact-\d{4}-\d\d-\d\d\.csv$/);
	const csv = (await readFile(await download.path())).toString('utf8');
	const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
	expect(lines[0]).toBe('occurred_at,phone,channel,action,source,keyword,message_sid,user,reason');
	expect(lines).toContainEqual(expect.stringMatching(/,'\+12125550188,all,opt_out,agent,,,Frank [^,]+,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)"$/));
	expect(lines).toContainEqual(expect.stringMatching(/,'\+13035550162,sms,opt_in,keyword,START,SM[0-9a-f]{32},,Texted START to \+14155550100\.$/));
	expect(lines).toContainEqual(expect.stringMatching(/,'\+13035550162,all,opt_out,keyword,STOP,SM[0-9a-f]{32},,Texted STOP to \+14155550100\.$/));
	// Agents read the trail but cannot export it.
	expect((await agent.request.get('/compliance/export.csv')).status()).toBe(403);
});

test('bad input gets a clear answer and writes nothing', async ({ browser }) => {
	const caller = '+13035550163';
	const phone = await openPhone(browser, caller);
	await textSwitchboard(phone, 'Hi, one question');
	const agent = await signedIn(browser, 'alice@switchboard.local', '/sms');
	await agent.getByRole('button', { name: /Hi, one question/ }).first().click();
	const box = agent.getByRole('textbox', { name: 'Message to the customer' });
	const send = agent.getByRole('button', { name: 'Send', exact: true });

	// Empty and over-long bodies: the counter and the message say what to fix; Send stays off.
	await box.fill('   ');
	await expect(send).toBeDisabled();
	await box.fill('x'.repeat(1601));
	await expect(agent.locator('#composer-count')).toHaveText('1,601 / 1,600 (1 too many)');
	await expect(agent.locator('#composer-too-long')).toHaveText(
		'The message is 1 character too long: a text is at most 1,600 characters. Shorten it to send.'
	);
	await expect(send).toBeDisabled();
	// The server refuses it too, with the count.
	const refused = await agent.request.post('/api/trpc/sms.send', {
		// Outside the page, so say where from: every write needs our Origin (auth/csrf.ts).
		headers: { origin: new URL(agent.url()).origin },
		data: { threadId: new URL(agent.url()).searchParams.get('thread'), body: 'x'.repeat(1601) }
	});
	expect(refused.status()).toBe(400);
	expect(await refused.text()).toContain('The message is 1,601 characters; the limit is 1,600. Shorten it by 1.');

	// An invalid number on the Do-Not-Contact page.
	const manager = await signedIn(browser, 'frank@switchboard.local', '/compliance');
	const manage = manager.getByRole('region', { name: 'Add or remove a number' });
	await manage.getByLabel('Number').fill('1234567');
	await manage.getByLabel('Reason').fill('Testing a bad number');
	await manage.getByRole('button', { name: 'Add to the list' }).click();
	await expect(manage.getByTestId('manage-outcome')).toContainText("'1234567'");
	const filters = manager.getByRole('form', { name: 'Filter the audit trail' });
	await filters.getByLabel('Number').fill('not a number');
	await filters.getByRole('button', { name: 'Apply filters' }).click();
	await expect(manager.getByRole('alert').filter({ hasText: "'not a number' is not a phone number" })).toBeVisible();

	// A forged webhook: refused before anything is read or written.
	const forged = await agent.request.post('/webhooks/twilio/sms', {
		form: { MessageSid: `SM${'a'.repeat(32)}`, From: caller, To: SALES, Body: 'forged' },
		headers: { 'x-twilio-signature': 'Zm9yZ2Vk' }
	});
	expect(forged.status()).toBe(403);
	await agent.getByRole('searchbox', { name: 'Search conversations' }).fill('forged');
	await expect(agent.getByTestId('inbox-threads')).toContainText('No conversation matches this search.');
});
