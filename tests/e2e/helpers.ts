import { test as base, expect, type Browser, type Page } from '@playwright/test';

/**
 * The specs' `test`: every browser context a test opens (signed-in staff, customer phones) is
 * closed when the test ends, passed or failed. A page left open would keep its softphone
 * registered (ringing with the next test's calls), its live subscriptions fed by the server and
 * its trace recorded, so each later spec would run on a busier machine than the one before.
 */
export const test = base.extend<{ closeContexts: void }>({
	closeContexts: [
		async ({ browser }, use) => {
			await use();
			await Promise.all(browser.contexts().map((context) => context.close().catch(() => undefined)));
		},
		{ auto: true }
	]
});
export { expect };

/**
 * Cleanup for a `finally` block: each step is tried in turn, and a step that fails is reported
 * on the console and skipped. A throwing cleanup would replace the error that failed the test
 * (and one waiting on a disabled control would spend the rest of the test's time).
 */
export async function cleanup(...steps: (() => Promise<unknown>)[]): Promise<void> {
	for (const step of steps) {
		try {
			await step();
		} catch (error) {
			console.warn(`cleanup step failed: ${error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error)}`);
		}
	}
}

export const DEMO_PASSWORD = 'switchboard-demo';

/** A fresh browser context signed in as one of the demo staff. */
export async function signedIn(browser: Browser, email: string, path = '/'): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`/login?redirectTo=${encodeURIComponent(path)}`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	await expect(page.getByTestId('live-connection')).toHaveAttribute('data-state', 'live');
	return page;
}

/** Who opens the customer phone: /phone reads every call and text, so it is for signed-in staff. */
export const PHONE_USER = 'admin@switchboard.local';

/**
 * A page in a fresh browser context signed in as PHONE_USER, on /phone, for a customer phone.
 * Only the /phone page is opened (no app page), so no softphone registers and no call is routed to it.
 */
export async function phonePage(browser: Browser): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await page.goto(`/login?redirectTo=${encodeURIComponent('/phone')}`);
	await page.getByLabel('Email').fill(PHONE_USER);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => url.pathname === '/phone');
	return page;
}

/** The customer phone page (/phone) as `caller`, on the carrier's network. */
export async function openPhone(browser: Browser, caller: string): Promise<Page> {
	const page = await phonePage(browser);
	await page.goto('/phone');
	await expect(page.getByRole('heading', { name: 'Phone', exact: true })).toBeVisible();
	await page.getByLabel('Your number (caller ID)').fill(caller);
	await expect(page.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
	return page;
}

/** Change the phone page's caller ID and wait until it is on the network as that number. */
export async function callAs(phone: Page, caller: string): Promise<void> {
	await phone.getByLabel('Your number (caller ID)').fill(caller);
	await expect(phone.getByTestId('phone-connection')).toHaveAttribute('data-state', 'live');
}

/** Dial `number` from an open customer phone page. */
export async function dial(phone: Page, number: string): Promise<void> {
	await phone.getByLabel('Switchboard number').fill(number);
	await phone.getByRole('button', { name: 'Call', exact: true }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', /ringing|in-progress/);
}

/** Demo customers the phone page suggests as caller IDs: number and full name. */
export async function demoCallers(phone: Page, count: number): Promise<{ number: string; name: string }[]> {
	const options = await phone.locator('#caller-suggestions option').evaluateAll((list) =>
		list.map((o) => ({ number: (o as HTMLOptionElement).value, label: o.textContent ?? '' }))
	);
	if (options.length < count) throw new Error(`the phone page suggests ${options.length} demo callers, the test needs ${count}`);
	return options.slice(0, count).map((o) => ({ number: o.number, name: o.label.split(',')[0]?.trim() ?? '' }));
}

/** Set an agent's status from the header, waiting until hot state has it. */
export async function setStatus(agent: Page, status: 'available' | 'away' | 'busy'): Promise<void> {
	await agent.getByLabel('My status').selectOption(status);
	await expect(agent.getByLabel('My status')).toHaveValue(status);
}

/** Save the wrap-up form in the agent's softphone; the agent is available again. */
export async function wrapUp(agent: Page, disposition: string, notes = ''): Promise<void> {
	const form = agent.getByRole('region', { name: 'Softphone' }).getByRole('form', { name: 'Wrap-up' });
	await form.getByLabel('Disposition').selectOption(disposition);
	if (notes) await form.getByLabel('Notes').fill(notes);
	await form.getByRole('button', { name: 'Save and finish wrap-up' }).click();
	await expect(agent.getByLabel('My status')).toHaveValue('available');
}
