import { expect, type Browser, type Page } from '@playwright/test';

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
