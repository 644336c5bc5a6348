/**
 * No answer, in Chromium with the local carrier: two support agents are free; the call rings the
 * one idle longest, who lets it ring out. It moves to the other, who takes it. The first is
 * marked missed where it matters: on their own softphone, on the supervisor's wallboard, and on
 * the customer's timeline in the archive.
 */
import { callAs, cleanup, demoCallers, dial, expect, openPhone, setStatus, signedIn, test, wrapUp } from './helpers';

const SUPPORT = '+14155550101';
/** The support queue rings an agent for 20 s; the consent notice plays first. */
const RING_OUT_MS = 45_000;

test('an unanswered offer moves to the next skilled agent, and the first is marked missed for them, the wallboard and the archive', async ({ browser }) => {
	test.setTimeout(150_000);
	// Bob and Carol both have the support skill; Bob becomes free first, so he is idle longest.
	const [supervisor, bob, carol, customer] = await Promise.all([
		signedIn(browser, 'heidi@switchboard.local', '/wallboard'),
		signedIn(browser, 'bob@switchboard.local'),
		signedIn(browser, 'carol@switchboard.local'),
		openPhone(browser, '+12125550100')
	]);
	const bobPhone = bob.getByRole('region', { name: 'Softphone' });
	const carolPhone = carol.getByRole('region', { name: 'Softphone' });
	try {
		await expect(bobPhone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
		await expect(carolPhone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
		await setStatus(bob, 'available');
		await setStatus(carol, 'available');
		const [caller] = await demoCallers(customer, 1);
		if (!caller) throw new Error('no demo caller');
		await callAs(customer, caller.number);

		await dial(customer, SUPPORT);
		await expect(bobPhone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
		await expect(bobPhone.getByTestId('softphone-caller-name')).toHaveText(caller.name);
		await expect(carolPhone.getByTestId('softphone-call')).toHaveCount(0);
		const bobRow = supervisor.getByRole('row', { name: /Bob Okafor/ });
		await expect(bobRow).toContainText('Ringing');

		// Bob does not answer. When the ring times out, the call rings Carol.
		await expect(carolPhone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing', { timeout: RING_OUT_MS });
		await expect(carolPhone.getByTestId('softphone-caller-name')).toHaveText(caller.name);
		await expect(bobPhone.getByTestId('softphone-call')).toHaveCount(0);

		// Bob sees what he missed and that routing set him away; so does the wallboard.
		const missed = bobPhone.getByTestId('softphone-missed');
		await expect(missed).toContainText(`Missed call from ${caller.name}`);
		await expect(missed).toContainText('You were set to Away');
		// The missed caller can be called back from the notice.
		await expect(missed.getByRole('button', { name: `Call back ${caller.name}` })).toBeVisible();
		await expect(bob.getByLabel('My status')).toHaveValue('away');
		await expect(bobRow).toContainText('Away');
		await expect(bobRow.getByTestId('missed-calls')).toHaveAttribute('data-count', '1');
		await expect(bobRow.getByTestId('missed-calls')).toContainText(caller.name);
		const carolRow = supervisor.getByRole('row', { name: /Carol Díaz/ });
		await expect(carolRow.getByTestId('missed-calls')).toHaveAttribute('data-count', '0');

		await carolPhone.getByRole('button', { name: /Accept/ }).click();
		await expect(carolPhone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'active');
		await expect(customer.getByTestId('call-status')).toContainText('Connected to an agent');
		await expect(carolRow).toContainText('Busy');
		const record = await carolPhone.getByRole('link', { name: 'Open customer record' }).getAttribute('href');
		await carolPhone.getByRole('button', { name: 'Hang up' }).click();
		await expect(customer.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');
		await wrapUp(carol, 'Resolved', 'Rang Bob first.');

		// The archive: the call's timeline entry says who answered and who let it ring out.
		await carol.goto(record ?? '/');
		const entry = carol.getByRole('list', { name: 'Activity timeline' }).getByTestId('timeline-call').first();
		await expect(entry).toContainText('Taken by Carol Díaz');
		await expect(entry.getByTestId('timeline-call-missed')).toHaveText('Rang out on Bob Okafor (missed)');

		// One click brings Bob back, and the notice goes.
		await missed.getByRole('button', { name: "I'm back: set me Available" }).click();
		await expect(bob.getByLabel('My status')).toHaveValue('available');
		await expect(missed).toHaveCount(0);
		await expect(bobRow).toContainText('Available');
	} finally {
		await cleanup(
			() => setStatus(bob, 'away'),
			() => setStatus(carol, 'away')
		);
	}
});
