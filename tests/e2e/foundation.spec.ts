import { expect, signedIn, test } from './helpers';

test('an agent changes status and the supervisor wallboard shows it live', async ({ browser }) => {
	const supervisor = await signedIn(browser, 'heidi@switchboard.local', '/wallboard');
	const agent = await signedIn(browser, 'alice@switchboard.local');

	const aliceRow = supervisor.getByRole('row', { name: /Alice/ });
	await agent.getByLabel('My status').selectOption('available');
	await expect(aliceRow).toContainText('Available');

	const reloads: string[] = [];
	supervisor.on('framenavigated', (frame) => reloads.push(frame.url()));

	await agent.getByLabel('My status').selectOption('away');
	await expect(aliceRow).toContainText('Away');
	await expect(agent.getByLabel('My status')).toHaveValue('away');
	expect(reloads, 'the wallboard updated without a navigation').toEqual([]);
});

test('a customer tab opened in one browser follows the agent to another and closes in both', async ({ browser }) => {
	const first = await signedIn(browser, 'bob@switchboard.local', '/customers');
	const second = await signedIn(browser, 'bob@switchboard.local', '/');
	const tabsOf = (page: typeof first) => page.getByRole('navigation', { name: 'Open customers' });

	await expect(tabsOf(second).getByRole('link')).toHaveCount(0);

	const firstResult = first.getByRole('table', { name: 'Search results' }).getByRole('link').first();
	const name = (await firstResult.innerText()).trim();
	await firstResult.click();
	await expect(first.getByRole('heading', { level: 1 })).toContainText(name);

	await expect(tabsOf(first).getByRole('link', { name })).toBeVisible();
	await expect(tabsOf(second).getByRole('link', { name })).toBeVisible();

	await tabsOf(second).getByRole('button', { name: `Close ${name}` }).click();
	await expect(tabsOf(second).getByRole('link', { name })).toHaveCount(0);
	await expect(tabsOf(first).getByRole('link', { name })).toHaveCount(0);
});

test('an agent is refused the admin pages', async ({ browser }) => {
	const agent = await signedIn(browser, 'carol@switchboard.local');
	const response = await agent.goto('/admin/users');
	expect(response?.status()).toBe(403);
	await expect(agent.getByText(/admin/i).first()).toBeVisible();
});
