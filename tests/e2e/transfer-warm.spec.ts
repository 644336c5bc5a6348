/**
 * Warm transfers, a queue transfer and a three-way call in Chromium with the local carrier,
 * checked against the carrier's audio routing (who hears whom in the call's conference). Alice
 * takes a sales call and consults Bob: completing hands the customer to Bob; cancelling puts the
 * customer back with Alice, hearing her; consulting again and Join all has the three hear each other. A transfer to a
 * queue with nobody free puts the caller in its line, told so. The tests share one signed-in
 * Alice, Bob and customer phone, and each leaves both agents free for the next and for the specs after.
 */
import { test, type Browser, type Page } from '@playwright/test';
import { dial, expect, openPhone, setStatus, signedIn, wrapUp } from './helpers';

const SALES = '+14155550100';
const CALLER = '+13125550189';
/** What the carrier says to a caller put in a queue's line by a transfer (transfer-carrier.ts). */
const TRANSFER_ANNOUNCEMENT = 'Please hold while we transfer your call.';

interface Routing {
	participants: { callSid: string; label: string | null; hold: boolean; hearsHoldMusic: boolean; hears: string[] }[];
}
interface CarrierState {
	calls: { sid: string; from: string; status: string; heard: string[] }[];
	queues: { name: string; callers: string[] }[];
}

test.describe.configure({ mode: 'serial' });

let alice: Page;
let bob: Page;
let phone: Page;
/** Participant labels (`agent:<user id>`) by the agent's first name. */
const names = new Map<string, string>();

/** The id of the agent named `name`, from the transfer directory as `viewer` sees it. */
async function agentId(viewer: Page, name: string): Promise<string> {
	const res = await viewer.request.get(`/api/trpc/transfers.directory?input=${encodeURIComponent(JSON.stringify({ search: name }))}`);
	expect(res.ok()).toBe(true);
	const { agents } = ((await res.json()) as { result: { data: { agents: { id: string; name: string }[] } } }).result.data;
	const agent = agents.find((a) => a.name.startsWith(name));
	if (!agent) throw new Error(`no agent ${name} in the directory`);
	return agent.id;
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
	[alice, bob, phone] = await Promise.all([signedIn(browser, 'alice@switchboard.local'), signedIn(browser, 'bob@switchboard.local'), openPhone(browser, CALLER)]);
	names.set(`agent:${await agentId(bob, 'Alice')}`, 'alice');
	names.set(`agent:${await agentId(alice, 'Bob')}`, 'bob');
	for (const agent of [alice, bob]) {
		await expect(softphone(agent).getByTestId('softphone-registration')).toHaveAttribute('data-state', 'ready');
		await setStatus(agent, 'available');
	}
});

test.afterAll(async () => {
	await Promise.all([alice, bob, phone].map((page) => page?.context().close().catch(() => undefined)));
});

const softphone = (agent: Page) => agent.getByRole('region', { name: 'Softphone' });

/** The customer's live call leg on the carrier. */
async function customerSid(): Promise<string> {
	const state = (await (await phone.request.get('/carrier/scenario/state')).json()) as CarrierState;
	const call = state.calls.find((c) => c.from === CALLER && c.status === 'in-progress');
	if (!call) throw new Error(`no live call from ${CALLER}`);
	return call.sid;
}

/**
 * Who hears whom in the call's conference, one sorted line per party: `customer hears alice`,
 * `customer held (music) hears nobody`; a 404 (no conference yet) as its status.
 */
async function routing(sid: string): Promise<string[] | string> {
	const res = await phone.request.get(`/carrier/scenario/conferences/call-${sid}/audio`);
	if (!res.ok()) return `${res.status()}`;
	const { participants } = (await res.json()) as Routing;
	const who = (label: string | null) => (label && names.get(label)) ?? label?.split(':')[0] ?? '?';
	const bySid = new Map(participants.map((p) => [p.callSid, who(p.label)]));
	return participants
		.map((p) => `${who(p.label)}${p.hold ? ' held' : ''}${p.hearsHoldMusic ? ' (music)' : ''} hears ${p.hears.map((s) => bySid.get(s) ?? s).sort().join(',') || 'nobody'}`)
		.sort();
}

const expectRouting = (sid: string, expected: string[]) => expect.poll(() => routing(sid), { timeout: 20_000 }).toEqual(expected);

/** The customer calls sales and Alice answers. */
async function aliceAnswers(): Promise<string> {
	await dial(phone, SALES);
	const call = softphone(alice).getByTestId('softphone-call');
	await expect(call).toHaveAttribute('data-phase', 'ringing');
	await call.getByRole('button', { name: /Accept/ }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');
	return customerSid();
}

/** Alice picks `search`'s first entry in the transfer directory, warm or cold. */
async function transferTo(kind: 'Warm (talk first)' | 'Cold', search: string, entry: RegExp) {
	await softphone(alice).getByTestId('transfer-open').click();
	const dialog = alice.getByTestId('transfer-dialog');
	await dialog.getByLabel(kind).check();
	await dialog.getByLabel('Search agents, queues and skills').fill(search);
	const started = alice.waitForResponse((r) => r.url().includes('/api/trpc/transfers.start'));
	await dialog.getByTestId('transfer-entry').filter({ hasText: entry }).click();
	// The transfer is placed (not refused, not failed on the carrier) and the dialog closes.
	expect((await started).status()).toBe(200);
	await expect(dialog).toBeHidden();
}

/** A warm transfer to Bob up to the consult: Bob accepts, the customer is held with music, Alice and Bob talk. */
async function consultBob(sid: string) {
	await transferTo('Warm (talk first)', 'Bob', /Bob Okafor/);
	await softphone(bob).getByTestId('transfer-offer').getByRole('button', { name: 'Accept' }).click();
	await expect(softphone(alice).getByTestId('transfer-consult')).toHaveAttribute('data-phase', 'consulting', { timeout: 20_000 });
	await expectRouting(sid, ['alice hears bob', 'bob hears alice', 'customer held (music) hears nobody']);
	await expect(phone.getByTestId('hold-music')).toBeVisible();
}

/** The customer hangs up. */
async function customerHangsUp() {
	await phone.getByRole('button', { name: 'Hang up' }).click();
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'completed');
}

/**
 * The agent ends free: off the call, either available already or wrapping up, then wrapped up.
 * (Whether an agent who handed the call on wraps up at once or when the call ends is not this spec's matter.)
 */
async function endsFree(agent: Page) {
	const status = agent.getByLabel('My status');
	await expect(status).toHaveValue(/^(available|wrapup)$/, { timeout: 20_000 });
	if ((await status.inputValue()) === 'wrapup') await wrapUp(agent, 'Resolved');
	await expect(softphone(agent).getByTestId('softphone-call')).toHaveCount(0);
}

test('warm transfer, complete: after the consult the customer is with Bob and Alice is out of the call', async () => {
	const sid = await aliceAnswers();
	await consultBob(sid);

	await softphone(alice).getByTestId('transfer-consult').getByRole('button', { name: 'Complete' }).click();
	await expectRouting(sid, ['bob hears customer', 'customer hears bob']);
	await expect(softphone(alice).getByTestId('transfer-consult')).toHaveCount(0);
	await expect(phone.getByTestId('hold-music')).toHaveCount(0);
	await expect(phone.getByTestId('call-status')).toHaveAttribute('data-status', 'in-progress');

	await customerHangsUp();
	await endsFree(bob);
	await endsFree(alice);
});

test('warm transfer, cancel: Bob is dropped and the customer hears Alice again; a second consult, joined: the three hear each other', async () => {
	const sid = await aliceAnswers();
	await consultBob(sid);

	await softphone(alice).getByTestId('transfer-consult').getByRole('button', { name: 'Cancel' }).click();
	await expectRouting(sid, ['alice hears customer', 'customer hears alice']);
	await expect(softphone(alice).getByTestId('transfer-consult')).toHaveCount(0);
	await expect(phone.getByTestId('hold-music')).toHaveCount(0);
	await expect(softphone(bob).getByTestId('softphone-call')).toHaveCount(0);
	await expect(alice.getByLabel('My status')).toHaveValue('busy');

	// Alice consults Bob again on the same call, and this time joins everyone: a three-way call.
	await consultBob(sid);
	await softphone(alice).getByTestId('transfer-consult').getByRole('button', { name: 'Join all' }).click();
	await expectRouting(sid, ['alice hears bob,customer', 'bob hears alice,customer', 'customer hears alice,bob']);
	await expect(phone.getByTestId('hold-music')).toHaveCount(0);

	await customerHangsUp();
	// Both were on the call at its end: both wrap up, Bob his part (his own form), Alice the call.
	await expect(bob.getByLabel('My status')).toHaveValue('wrapup', { timeout: 20_000 });
	await expect(alice.getByLabel('My status')).toHaveValue('wrapup', { timeout: 20_000 });
	await wrapUp(bob, 'Resolved');
	await wrapUp(alice, 'Resolved');
});

test('transfer to a queue with nobody free: the caller waits in its line and hears the announcement', async () => {
	// Bob is the one support agent these specs keep free; away, the support queue has nobody to offer the caller.
	await setStatus(bob, 'away');
	const sid = await aliceAnswers();
	await transferTo('Cold', 'support', /Queue: support.*0 free/);

	await expect(phone.getByTestId('call-status')).toContainText('Waiting in the support queue');
	await expect(phone.getByTestId('heard')).toContainText(TRANSFER_ANNOUNCEMENT);
	const carrier = async () => {
		const state = (await (await phone.request.get('/carrier/scenario/state')).json()) as CarrierState;
		return { queued: state.queues.find((q) => q.name === 'support')?.callers.includes(sid) ?? false, heard: state.calls.find((c) => c.sid === sid)?.heard.includes(TRANSFER_ANNOUNCEMENT) ?? false };
	};
	await expect.poll(carrier).toEqual({ queued: true, heard: true });
	// Alice is off the call: no conference is left with her in it.
	await expect.poll(() => routing(sid)).toEqual('404');

	await customerHangsUp();
	await endsFree(alice);
	await setStatus(bob, 'available');
});
