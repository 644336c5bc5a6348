/**
 * People on both ends, in Chromium with the local carrier: the customer phone page texts and
 * calls Switchboard, and an agent's docked softphone registers and rings.
 */
import type { Page } from '@playwright/test';
import { expect, phonePage, signedIn, test } from './helpers';

async function openPhone(page: Page, caller: string) {
	await page.goto('/phone');
	await expect(page.getByRole('heading', { name: 'Phone', exact: true })).toBeVisible();
	await page.getByLabel('Your number (caller ID)').fill(caller);
	await expect(page.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
}

test('the customer phone page texts Switchboard and shows the signed delivery', async ({ browser }) => {
	const page = await phonePage(browser);
	await openPhone(page, '+12125550123');
	await page.getByLabel('Switchboard number').fill('+14155550100');

	await page.getByRole('textbox', { name: 'Message' }).fill('Where is my order?');
	await page.getByRole('button', { name: 'Send' }).click();

	const sent = page.getByTestId('sms-sent').filter({ hasText: 'Where is my order?' });
	await expect(sent).toBeVisible();
	const delivery = sent.getByTestId('sms-delivery');
	await expect(delivery).toHaveAttribute('data-signed', 'true');
	await expect(delivery).toContainText('POST /webhooks/twilio/sms');
	await expect(delivery).toContainText('signature valid');
	// Switchboard's messaging webhook checked the signature and accepted the text.
	await expect(delivery).toHaveAttribute('data-status', '200');
});

test("an agent's softphone registers, a call from the customer phone rings it with the caller's number, and the two browsers hear each other", async ({ browser }) => {
	const agent = await signedIn(browser, 'alice@switchboard.local');
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');

	// Alice has the sales skill; +14155550100 routes to the sales queue.
	await agent.getByLabel('My status').selectOption('available');
	await expect(agent.getByLabel('My status')).toHaveValue('available');
	await expect(softphone).toContainText('Waiting for calls.');

	const caller = '+13125550142';
	const phone = await phonePage(browser);
	await openPhone(phone, caller);
	await phone.getByLabel('Switchboard number').fill('+14155550100');
	await phone.getByRole('button', { name: 'Call', exact: true }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', /ringing|in-progress/);

	await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await expect(softphone.getByTestId('softphone-caller-number')).toHaveText(caller);
	await expect(agent.getByText(`Incoming call from`, { exact: false })).toBeAttached();

	await softphone.getByRole('button', { name: /Accept/ }).click();
	await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'active');
	await expect(softphone.getByTestId('softphone-timer')).toHaveText(/^0:0[1-9]$/, { timeout: 5_000 });
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');
	// Accepting claimed the call in hot state: the agent is busy, live in the header.
	await expect(agent.getByLabel('My status')).toHaveValue('busy');
	// The two browsers carry the call's audio to each other over WebRTC, through the carrier's
	// signaling (Chromium's fake microphone plays a tone), and each says sound is arriving.
	for (const audio of [softphone.getByTestId('softphone-audio'), phone.getByTestId('phone-audio')]) {
		await expect(audio).toHaveAttribute('data-state', 'connected');
		await expect(audio).toHaveAttribute('data-receiving', 'true');
	}

	await softphone.getByRole('button', { name: 'Hang up' }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');
	await expect(phone.getByTestId('phone-audio')).toHaveCount(0);
	// Then wrap-up, automatically, before the agent is offered the next call.
	await expect(agent.getByLabel('My status')).toHaveValue('wrapup');
	const wrapUp = softphone.getByRole('form', { name: 'Wrap-up' });
	await wrapUp.getByLabel('Disposition').selectOption('Resolved');
	await wrapUp.getByLabel('Notes').fill('Asked about order #4411; shipped today.');
	await wrapUp.getByRole('button', { name: 'Save and finish wrap-up' }).click();
	await expect(softphone).toContainText('Waiting for calls.');
	await expect(agent.getByLabel('My status')).toHaveValue('available');
});

test('the customer phone and the carrier scenario API are for signed-in staff', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/phone');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fphone$/);
	expect((await context.request.get('/phone/api/events')).status()).toBe(401);
	const call = { data: { from: '+12125550123', to: '+14155550100' } };
	// Same-origin, it is the missing session that refuses it; from elsewhere the Origin check refuses it first.
	const origin = new URL(page.url()).origin;
	expect((await context.request.post('/carrier/scenario/call', { ...call, headers: { origin } })).status()).toBe(401);
	expect((await context.request.post('/carrier/scenario/call', { ...call, headers: { origin: 'https://evil.example' } })).status()).toBe(403);
	expect((await context.request.get('/carrier/scenario/state')).status()).toBe(401);
});
