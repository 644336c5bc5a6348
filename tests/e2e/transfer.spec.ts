/**
 * Transfers in Chromium with the local carrier: Alice cold-transfers a customer's call to Bob
 * from the softphone's directory; Bob's softphone rings with the offer, he answers, Alice is out
 * of the call, and the carrier routes the customer's audio to Bob and Bob's to the customer.
 */
import { dial, expect, openPhone, setStatus, signedIn, test, wrapUp } from './helpers';

interface Routing {
	participants: { callSid: string; label: string; hold: boolean; hears: string[] }[];
}

test('cold transfer to an agent: the target answers, the customer and the target hear each other', async ({ browser }) => {
	const alice = await signedIn(browser, 'alice@switchboard.local');
	const bob = await signedIn(browser, 'bob@switchboard.local');
	const aliceSoftphone = alice.getByRole('region', { name: 'Softphone' });
	const bobSoftphone = bob.getByRole('region', { name: 'Softphone' });
	await expect(aliceSoftphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await expect(bobSoftphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await setStatus(alice, 'available');
	await setStatus(bob, 'available');

	const phone = await openPhone(browser, '+13125550188');
	await dial(phone, '+14155550100');
	await expect(aliceSoftphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await aliceSoftphone.getByTestId('softphone-call').getByRole('button', { name: /Accept/ }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');

	// Alice picks Bob in the directory, cold, with a note.
	await aliceSoftphone.getByTestId('transfer-open').click();
	const dialog = alice.getByTestId('transfer-dialog');
	await dialog.getByLabel('Cold').check();
	await dialog.getByLabel('Note').fill('Wants to upgrade');
	await dialog.getByLabel('Search agents, queues and skills').fill('Bob');
	await dialog.getByTestId('transfer-entry').filter({ hasText: 'Bob Okafor' }).click();

	// Bob's softphone shows the offer with the note and rings; he accepts the offer, which answers that leg.
	await expect(bobSoftphone.getByTestId('transfer-offer-note')).toHaveText('Wants to upgrade');
	await expect(bobSoftphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await bobSoftphone.getByTestId('transfer-offer').getByRole('button', { name: 'Accept' }).click();
	await expect(bobSoftphone.getByTestId('transfer-offer')).toHaveCount(0, { timeout: 20_000 });

	// The carrier: only the customer and Bob in the conference, hearing each other.
	const state = (await (await bob.request.get('/carrier/scenario/state')).json()) as { calls: { sid: string; from: string; status: string }[] };
	const customer = state.calls.find((c) => c.from === '+13125550188' && c.status === 'in-progress');
	expect(customer).toBeTruthy();
	await expect
		.poll(
			async () => {
				const res = await bob.request.get(`/carrier/scenario/conferences/call-${customer!.sid}/audio`);
				if (!res.ok()) return `${res.status()}`;
				const { participants } = (await res.json()) as Routing;
				const label = (sid: string) => participants.find((p) => p.callSid === sid)?.label.split(':')[0] ?? sid;
				return participants.map((p) => `${p.label.split(':')[0]}${p.hold ? ' held' : ''} hears ${p.hears.map(label).join(',')}`).sort();
			},
			{ timeout: 20_000 }
		)
		.toEqual(['agent hears customer', 'customer hears agent']);
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');

	await phone.getByRole('button', { name: 'Hang up' }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');
	// The call ended with Bob: he wraps it up like any call. Alice has been in wrap-up since the transfer took her off
	// the call; she wraps up her part. Both are free for the specs after this one.
	await wrapUp(bob, 'Resolved');
	await wrapUp(alice, 'Resolved');
});
