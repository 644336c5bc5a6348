/**
 * Two-way SMS in Chromium on the local carrier: a customer's text reaches two agents' inboxes
 * live, the thread lock holds on screen and on the server, a canned response goes out filled
 * and is delivered; message bodies stay inert text everywhere; grammar suggestions apply.
 */
import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, phonePage, signedIn, test } from './helpers';

const SWITCHBOARD = '+14155550100';

/** A number no other spec or run uses, so threads start empty. */
const freshNumber = () => `+1312555${String(Math.floor(1000 + Math.random() * 9000))}`;

async function openPhone(page: Page, caller: string) {
	await page.goto('/phone');
	await page.getByLabel('Your number (caller ID)').fill(caller);
	await page.getByLabel('Switchboard number').fill(SWITCHBOARD);
	await expect(page.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
}

async function textFromPhone(phone: Page, body: string) {
	await phone.getByRole('textbox', { name: 'Message' }).fill(body);
	await phone.getByRole('button', { name: 'Send' }).click();
	await expect(phone.getByTestId('sms-sent').filter({ hasText: body }).getByTestId('sms-delivery')).toHaveAttribute('data-status', '200');
}

/** Call a tRPC procedure from the page itself (same origin, same session cookie), as a script would. */
async function callTrpc(page: Page, path: string, input: unknown, method: 'POST' | 'GET' = 'POST') {
	return page.evaluate(
		async ({ path, input, method }) => {
			const url = method === 'GET' ? `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `/api/trpc/${path}`;
			const res = await fetch(url, {
				method,
				headers: { 'content-type': 'application/json' },
				...(method === 'POST' ? { body: JSON.stringify(input) } : {})
			});
			return { status: res.status, body: (await res.json()) as Record<string, unknown> };
		},
		{ path, input, method }
	);
}

async function createCustomer(page: Page, firstName: string, lastName: string, number: string): Promise<string> {
	const res = await callTrpc(page, 'crm.create', { firstName, lastName, phones: [{ number, isPrimary: true }] });
	expect(res.status).toBe(200);
	return (res.body as { result: { data: { id: string } } }).result.data.id;
}

async function waitLiveInbox(page: Page) {
	await expect(page.getByTestId('inbox-feed')).toHaveAttribute('data-state', 'live');
}

const threadButton = (page: Page, name: string) => page.getByTestId('inbox-threads').getByRole('button', { name: new RegExp(name) });

test('a text appears live in two inboxes; the lock holds on screen and on the server; a canned reply is delivered', async ({ browser }) => {
	// Four signed-in contexts (manager, two agents, the phone): allow for a loaded 2-core box.
	test.slow();
	const caller = freshNumber();
	const surname = `Inbox${caller.slice(-4)}`;

	// A manager writes the canned response on its page.
	const manager = await signedIn(browser, 'frank@switchboard.local', '/sms/canned');
	const title = `Order update ${caller.slice(-4)}`;
	await manager.getByLabel('Title', { exact: true }).fill(title);
	await manager.getByLabel('Text', { exact: true }).fill('Hi ');
	await manager.getByRole('button', { name: 'Customer first name' }).click();
	await manager.getByLabel('Text', { exact: true }).press('End');
	await manager.keyboard.type(', your order ships today. ');
	await manager.getByRole('button', { name: 'Agent name' }).click();
	await expect(manager.getByTestId('canned-preview')).toHaveText('Hi Maria, your order ships today. Alice Agent');
	await manager.getByRole('button', { name: 'Add response' }).click();
	await expect(manager.getByTestId('canned-list')).toContainText(title);
	await manager.screenshot({ path: 'test-results/screens/canned-responses.png', fullPage: true });

	const alice = await signedIn(browser, 'alice@switchboard.local', '/sms');
	const bob = await signedIn(browser, 'bob@switchboard.local', '/sms');
	await createCustomer(alice, 'Maria', surname, caller);
	await Promise.all([waitLiveInbox(alice), waitLiveInbox(bob)]);

	const phone = await phonePage(browser);
	await openPhone(phone, caller);
	await textFromPhone(phone, 'Is my order on its way?');

	// Both inboxes show it without a reload, unread.
	for (const agent of [alice, bob]) {
		const row = threadButton(agent, `Maria ${surname}`);
		await expect(row).toBeVisible();
		await expect(row.getByTestId('thread-preview')).toHaveText('Is my order on its way?');
		await expect(row.getByTestId('unread')).toContainText('1');
	}

	// Alice starts replying: she holds the lock.
	await threadButton(alice, `Maria ${surname}`).click();
	await expect(alice.getByTestId('message-body').filter({ hasText: 'Is my order on its way?' })).toBeVisible();
	await expect(alice.getByTestId('panel-customer-name')).toContainText(`Maria ${surname}`);
	await expect(alice.getByTestId('panel-record-link')).toHaveAttribute('href', /\/customers\//);
	const composer = alice.getByRole('textbox', { name: 'Message to the customer' });
	await composer.fill('Let me check');

	// Bob sees it live, in the list and in the thread, and cannot send.
	await expect(threadButton(bob, `Maria ${surname}`).getByTestId('thread-replying')).toHaveText('Alice Moreno is replying');
	await threadButton(bob, `Maria ${surname}`).click();
	await expect(bob.getByTestId('lock-holder')).toContainText('Alice Moreno is replying');
	await expect(bob.getByRole('textbox', { name: 'Message to the customer' })).toBeDisabled();
	await expect(bob.getByRole('button', { name: 'Send' })).toBeDisabled();
	await bob.screenshot({ path: 'test-results/screens/inbox-locked.png', fullPage: true });

	// And the server refuses Bob's send procedure when called directly.
	const threadId = new URL(bob.url()).searchParams.get('thread');
	expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
	const refused = await callTrpc(bob, 'sms.send', { threadId, body: 'Sneaking in' });
	expect(refused.status).toBe(409);
	expect(refused.body).toMatchObject({ error: { data: { code: 'CONFLICT', appCode: 'LOCK_HELD_BY' } } });

	// Alice replaces her draft with the canned response by slash command, filled for Maria.
	await composer.fill('');
	await composer.pressSequentially(`/${title.split(' ')[0]}`);
	const picker = alice.getByTestId('canned-picker');
	await expect(picker.getByRole('option', { name: new RegExp(title) })).toBeVisible();
	await alice.screenshot({ path: 'test-results/screens/inbox-slash-picker.png', fullPage: true });
	// Arrow to our response (others may match too), then Enter.
	const options = picker.getByRole('option');
	for (let i = 0; i < (await options.count()); i++) {
		if ((await options.nth(i).getAttribute('aria-selected')) === 'true' && (await options.nth(i).textContent())?.includes(title)) break;
		await composer.press('ArrowDown');
	}
	await composer.press('Enter');
	await expect(picker).toBeHidden();
	await expect(composer).toHaveValue('Hi Maria, your order ships today. Alice Moreno');
	await composer.press('Control+Enter');

	// The customer's phone gets it, and Alice sees it delivered.
	await expect(phone.getByTestId('sms-received').filter({ hasText: 'Hi Maria, your order ships today. Alice Moreno' })).toBeVisible();
	const sent = alice.getByTestId('message').filter({ hasText: 'Hi Maria, your order ships today.' });
	await expect(sent.getByTestId('message-status')).toHaveText('Delivered');
	// The lock was released on send: Bob's composer opens again.
	await expect(bob.getByRole('textbox', { name: 'Message to the customer' })).toBeEnabled();
	await alice.screenshot({ path: 'test-results/screens/inbox-delivered.png', fullPage: true });
});

const PAYLOADS = [
	'<script>window.__xss = "script"</script>',
	'<img src=x onerror="window.__xss = \'img\'">',
	'<svg onload="window.__xss = \'svg\'"></svg>',
	'<a href="javascript:window.__xss = \'link\'">click me</a>'
];

/** No payload ran and none became an element; each shows as the literal text. */
async function assertInert(page: Page, where: string, texts: string[]) {
	for (const text of texts) await expect(page.getByText(text, { exact: false }).first(), `${where}: ${text}`).toBeVisible();
	expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), where).toBeUndefined();
	expect(await page.locator('img[src="x"], svg[onload], a[href^="javascript:"], [onerror]').count(), where).toBe(0);
	// A payload as a script of its own (page data may carry the text inside its JSON, escaped).
	expect(
		await page.evaluate(() => [...document.scripts].some((s) => s.textContent?.trim().startsWith('window.__xss'))),
		where
	).toBe(false);
}

test('HTML and script in message bodies render as inert text in the inbox, thread, timeline and phone', async ({ browser }) => {
	const caller = freshNumber();
	const surname = `Xss${caller.slice(-4)}`;
	const dialogs: string[] = [];

	const alice = await signedIn(browser, 'alice@switchboard.local', '/sms');
	alice.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
	const customerId = await createCustomer(alice, 'Xavier', surname, caller);
	await waitLiveInbox(alice);

	const phone = await phonePage(browser);
	phone.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
	await openPhone(phone, caller);
	for (const body of PAYLOADS) await textFromPhone(phone, body);

	// The inbox preview shows the latest literally.
	const row = threadButton(alice, `Xavier ${surname}`);
	await expect(row.getByTestId('thread-preview')).toHaveText(PAYLOADS.at(-1) ?? '');
	await row.click();
	for (const body of PAYLOADS) await expect(alice.getByTestId('message-body').filter({ hasText: body })).toHaveText(body);

	// An agent's reply with markup reaches the phone as text too.
	const reply = '<img src=x onerror="alert(\'agent\')"> <b>bold?</b>';
	await alice.getByRole('textbox', { name: 'Message to the customer' }).fill(reply);
	await alice.getByRole('button', { name: 'Send' }).click();
	await expect(phone.getByTestId('sms-received').filter({ hasText: reply })).toBeVisible();
	await assertInert(alice, 'thread', [...PAYLOADS, reply]);
	await assertInert(phone, 'phone', [...PAYLOADS, reply]);

	await alice.goto(`/customers/${customerId}`);
	await expect(alice.getByRole('list', { name: 'Activity timeline' })).toContainText(`Text received: ${PAYLOADS[0]}`);
	await assertInert(alice, 'timeline', PAYLOADS.map((p) => `Text received: ${p}`));
	expect(dialogs).toEqual([]);
});

test('a misspelling gets a suggestion that applies on click', async ({ browser }) => {
	const caller = freshNumber();
	const alice = await signedIn(browser, 'alice@switchboard.local', '/sms');
	await waitLiveInbox(alice);
	const phone = await phonePage(browser);
	await openPhone(phone, caller);
	await textFromPhone(phone, 'Did my parcel arrive?');

	await threadButton(alice, caller.replace('+', '\\+')).click();
	const composer = alice.getByRole('textbox', { name: 'Message to the customer' });
	await composer.fill('We recieved your parcel this morning.');
	const suggestion = alice.getByTestId('grammar-suggestion').filter({ hasText: '"recieved"' });
	await expect(suggestion).toBeVisible({ timeout: 15_000 });
	await alice.screenshot({ path: 'test-results/screens/inbox-grammar.png', fullPage: true });
	await suggestion.getByRole('button', { name: 'Replace "recieved" with received' }).click();
	await expect(composer).toHaveValue('We received your parcel this morning.');
	await expect(alice.getByTestId('grammar-suggestion').filter({ hasText: '"recieved"' })).toHaveCount(0);
	// Sending never waited on the suggester.
	await expect(alice.getByRole('button', { name: 'Send' })).toBeEnabled();
});

/** A small solid-colour PNG, made here so the spec needs no fixture file. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (buf: Buffer) => {
		let c = 0xffffffff;
		for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const out = Buffer.alloc(12 + data.length);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc(body), 8 + data.length);
		return out;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.from([0, ...Array.from({ length: width }, () => [r, g, b]).flat()])));
	return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

test('a picture texted from the customer phone shows in the inbox from our own storage', async ({ browser }) => {
	const caller = freshNumber();
	const alice = await signedIn(browser, 'alice@switchboard.local', '/sms');
	await waitLiveInbox(alice);
	const phone = await phonePage(browser);
	await openPhone(phone, caller);
	await phone.getByLabel('Attach a picture (MMS)').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: png(96, 64, [220, 38, 38]) });
	await expect(phone.getByTestId('sms-picture-name')).toHaveText('parcel.png');
	await textFromPhone(phone, 'The parcel arrived like this');
	await expect(phone.getByTestId('sms-sent').filter({ hasText: 'The parcel arrived like this' }).getByTestId('sms-media')).toHaveText('1 picture attached');
	await phone.screenshot({ path: 'test-results/screens/phone-mms.png', fullPage: true });

	await threadButton(alice, caller.replace('+', '\\+')).click();
	const message = alice.getByTestId('message').filter({ hasText: 'The parcel arrived like this' });
	const image = message.getByTestId('attachment-image');
	await expect(image).toBeVisible();
	await expect(image).toHaveAttribute('alt', 'Picture 1 from the customer');
	// Our storage's signed, short-lived URL, never the carrier's MediaUrl.
	const src = (await image.getAttribute('src')) ?? '';
	expect(new URL(src).pathname).toMatch(/^\/files\/mms\/[0-9a-f-]{36}\/0\.png$/);
	expect(new URL(src).searchParams.get('sig')).toBeTruthy();
	expect(src).not.toContain('/carrier/');
	await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
	await alice.screenshot({ path: 'test-results/screens/inbox-mms.png', fullPage: true });
});
