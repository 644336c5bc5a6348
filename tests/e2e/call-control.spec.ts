/**
 * Call control in Chromium with the local carrier: an agent holds and resumes a call (the
 * customer's phone page hears our hold music), and a supervisor whispers from the wallboard (the
 * agent sees who is listening; the carrier's audio routing has the agent hear the supervisor and
 * the customer not).
 */
import type { Page } from '@playwright/test';
import { dial, expect, openPhone, setStatus, signedIn, test, wrapUp } from './helpers';

interface CarrierState {
	calls: { sid: string; from: string; to: string; status: string }[];
	conferences: { sid: string; accountSid: string; friendlyName: string; status: string }[];
}
interface Routing {
	participants: { callSid: string; label: string | null; hears: string[] }[];
}
interface Parties {
	participants: { callSid: string; kind: string; coaching: boolean; muted: boolean; hold: boolean }[];
}

/** The customer's live call leg on the carrier. */
async function customerOf(page: Page, caller: string) {
	const res = await page.request.get('/carrier/scenario/state');
	if (!res.ok()) throw new Error(`state: ${res.status()} ${(await res.text()).slice(0, 200)}`);
	return ((await res.json()) as CarrierState).calls.find((c) => c.from === caller && c.status === 'in-progress');
}

/**
 * The call's parties as the conference webhooks reported them (Coaching, Muted, Hold per leg),
 * read through callControl.participants.
 */
async function partiesOf(page: Page, caller: string) {
	const customer = await customerOf(page, caller);
	if (!customer) return [];
	const res = await page.request.get(`/api/trpc/callControl.participants?input=${encodeURIComponent(JSON.stringify({ callSid: customer.sid }))}`);
	if (!res.ok()) throw new Error(`participants: ${res.status()} ${await res.text()}`);
	return ((await res.json()) as { result: { data: Parties } }).result.data.participants;
}

/** Who hears whom in the call's conference, as the carrier mixes it (`agent hears customer,supervisor`), by role. */
async function audioOf(page: Page, caller: string): Promise<string[] | string> {
	const customer = await customerOf(page, caller);
	if (!customer) return 'no live call';
	const res = await page.request.get(`/carrier/scenario/conferences/call-${customer.sid}/audio`);
	if (!res.ok()) return `${res.status()}`;
	const { participants } = (await res.json()) as Routing;
	const role = (sid: string) => participants.find((p) => p.callSid === sid)?.label?.split(':')[0] ?? sid;
	return participants.map((p) => `${role(p.callSid)} hears ${p.hears.map(role).sort().join(',') || 'nobody'}`).sort();
}

test('hold and resume, then a supervisor whispers to the agent only', async ({ browser }) => {
	// Three signed-in people and two carrier checks per step: room for a loaded machine.
	test.setTimeout(75_000);
	const agent = await signedIn(browser, 'alice@switchboard.local');
	const softphone = agent.getByRole('region', { name: 'Softphone' });
	await expect(softphone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	await setStatus(agent, 'available');

	const caller = '+13125550177';
	const phone = await openPhone(browser, caller);
	await dial(phone, '+14155550100');
	await expect(softphone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await softphone.getByRole('button', { name: /Accept/ }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');

	// Hold: the call moves into its conference, the customer hears the hold music, the agent the hold time.
	const controls = softphone.getByTestId('call-controls');
	await controls.getByTestId('hold-toggle').click();
	await expect(controls).toHaveAttribute('data-state', 'on-hold');
	await expect(controls.getByTestId('hold-timer')).toHaveText(/On hold 0:0\d/);
	await expect(phone.getByTestId('heard')).toContainText('Hold music');
	await expect(controls.getByTestId('hold-toggle')).toHaveAttribute('aria-pressed', 'true');

	await controls.getByTestId('hold-toggle').click();
	await expect(controls).toHaveAttribute('data-state', 'in-progress');
	await expect(controls.getByTestId('hold-timer')).toHaveCount(0);
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');

	// A supervisor whispers from the wallboard; their softphone takes the coaching leg.
	const supervisor = await signedIn(browser, 'heidi@switchboard.local', '/wallboard');
	const supervisorPhone = supervisor.getByRole('region', { name: 'Softphone' });
	// Registered first: the coaching leg rings the devices registered when it is placed.
	await expect(supervisorPhone.getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
	const call = supervisor.getByTestId('wallboard-call').filter({ hasText: 'Alice Moreno' });
	await call.getByTestId('monitor-whisper').click();
	await expect(supervisorPhone.getByTestId('softphone-call')).toHaveAttribute('data-phase', 'ringing');
	await supervisorPhone.getByRole('button', { name: /Accept/ }).click();

	// Generous: the supervisor's leg is placed and the agent's live query updated on a loaded machine.
	await expect(controls.getByTestId('call-listeners')).toContainText('Heidi Schmidt is coaching you', { timeout: 20_000 });
	// The carrier reports the supervisor's leg coaching (heard by the agent only) and unmuted; nobody else coaches.
	await expect
		.poll(async () => (await partiesOf(supervisor, caller)).map((p) => `${p.kind}:${p.coaching ? 'coach' : p.muted ? 'muted' : 'talks'}`).sort(), { timeout: 20_000 })
		.toEqual(['agent:talks', 'customer:talks', 'supervisor:coach']);
	// And the carrier mixes it so: the agent hears the customer and the supervisor, the customer hears the agent only.
	await expect
		.poll(() => audioOf(supervisor, caller), { timeout: 20_000 })
		.toEqual(['agent hears customer,supervisor', 'customer hears agent', 'supervisor hears agent,customer']);

	await call.getByTestId('monitor-stop').click();
	await expect(controls.getByTestId('call-listeners')).toHaveCount(0, { timeout: 20_000 });
	await expect.poll(() => audioOf(supervisor, caller), { timeout: 20_000 }).toEqual(['agent hears customer', 'customer hears agent']);

	await softphone.getByRole('button', { name: 'Hang up' }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');
	await wrapUp(agent, 'Resolved');
});
