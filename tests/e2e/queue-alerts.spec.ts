/**
 * Queue alerts reach a supervisor on any page, not only the wallboard: with the support queue's
 * wait alert at 10 s and no agent available, a caller waits, and the supervisor's home page shows
 * an assertive banner naming the queue and the threshold crossed, with a link to the wallboard;
 * it can be dismissed. An agent's page never shows it. The alert rides the notices stream the
 * page already keeps open (no extra connection), so the live connection stays live.
 */
import type { Page } from '@playwright/test';
import { callAs, cleanup, demoCallers, dial, expect, openPhone, setStatus, signedIn, test } from './helpers';

const SUPPORT = '+14155550101';
const WAIT_ALERT_SECONDS = 10;

async function trpc(page: Page, path: string, input?: unknown): Promise<unknown> {
	const { status, body } = await page.evaluate(
		async ({ path, input }) => {
			const res =
				input === undefined
					? await fetch(`/api/trpc/${path}`)
					: await fetch(`/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
			return { status: res.status, body: (await res.json()) as { result?: { data?: unknown } } };
		},
		{ path, input }
	);
	expect(status, `${path} answered ${status}`).toBe(200);
	return body.result?.data;
}

async function setWaitAlert(admin: Page, seconds: number): Promise<number> {
	const queues = (await trpc(admin, 'admin.listQueues')) as { number: string; waitAlertSeconds: number }[];
	const support = queues.find((q) => q.number === SUPPORT);
	if (!support) throw new Error('no support queue');
	await trpc(admin, 'admin.saveQueue', { originalNumber: SUPPORT, queue: { ...support, waitAlertSeconds: seconds } });
	return support.waitAlertSeconds;
}

test('a supervisor on a page other than the wallboard is told when a caller waits past the queue’s wait alert; an agent is not', async ({ browser }) => {
	test.setTimeout(90_000);
	const admin = await signedIn(browser, 'admin@switchboard.local', '/admin/queues');
	const before = await setWaitAlert(admin, WAIT_ALERT_SECONDS);
	const [supervisor, agent, phone] = await Promise.all([
		signedIn(browser, 'heidi@switchboard.local', '/'),
		signedIn(browser, 'carol@switchboard.local', '/'),
		openPhone(browser, '+12125550130')
	]);
	try {
		// Carol, the support agent, is away: the caller waits in the queue.
		await setStatus(agent, 'away');
		const [caller] = await demoCallers(phone, 1);
		if (!caller) throw new Error('no demo caller');
		await callAs(phone, caller.number);
		await dial(phone, SUPPORT);

		const alerts = supervisor.getByRole('region', { name: 'Queue alerts' });
		await expect(alerts).toHaveAttribute('aria-live', 'assertive');
		const alert = alerts.getByTestId('queue-alert').filter({ hasText: 'Caller waiting too long' });
		await expect(alert).toContainText('support queue', { timeout: 30_000 });
		await expect(alert).toContainText(new RegExp(`A caller in support has waited \\d+ s, past the ${WAIT_ALERT_SECONDS} s alert\\.`));
		await expect(alert.getByRole('link', { name: 'Open the wallboard' })).toHaveAttribute('href', '/wallboard');
		// One stream more would have left the page's live connection connecting.
		await expect(supervisor.getByTestId('live-connection')).toHaveAttribute('data-state', 'live');
		// Delivered to every manager's page at once, never to an agent's.
		await expect(agent.getByTestId('queue-alert')).toHaveCount(0);
		await expect(agent.getByRole('region', { name: 'Queue alerts' })).toHaveCount(0);

		await alert.getByRole('button', { name: 'Dismiss the support queue alert' }).click();
		await expect(alerts.getByTestId('queue-alert').filter({ hasText: 'Caller waiting too long' })).toHaveCount(0);
	} finally {
		await cleanup(
			() => phone.getByRole('button', { name: 'Hang up' }).click({ timeout: 5_000 }),
			() => setWaitAlert(admin, before)
		);
	}
});
