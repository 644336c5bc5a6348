import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { runCarrierCli } from './cli';
import { CUSTOMER, SWITCHBOARD_NUMBER, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

async function cli(base: string, ...argv: string[]) {
	const lines: string[] = [];
	const code = await runCarrierCli([...argv, '--base', base.replace(/\/carrier$/, '')], { fetch, print: (l) => lines.push(l) });
	return { code, out: lines.join('\n') };
}

describe('npm run carrier', () => {
	it('places a call, answers it as an agent, texts, and drives webhook deliveries', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Dial action="/done"><Client>alice</Client></Dial>'));
		h.routes.set('/done', () => twiml('<Hangup/>'));
		h.routes.set('/webhooks/twilio/sms', () => twiml(''));
		const base = await h.serveCarrier();
		expect((await cli(base, 'register', '--as', 'alice')).code).toBe(0);
		const placed = await cli(base, 'call', '--from', CUSTOMER, '--to', SWITCHBOARD_NUMBER);
		expect(placed.code).toBe(0);
		const { callSid } = JSON.parse(placed.out) as { callSid: string };
		await h.clock.advance(1000);
		const answered = await cli(base, 'answer', '--as', 'alice');
		expect(answered.code).toBe(0);
		await h.clock.advance(5000);
		expect(h.carrier.fetchCall(callSid).status).toBe('in-progress');

		expect((await cli(base, 'hold')).code).toBe(0);
		expect((await cli(base, 'hangup', '--call', callSid)).code).toBe(0);
		await h.clock.advance(1000);
		const held = JSON.parse((await cli(base, 'state')).out) as { held: number[] };
		expect(held.held.length).toBeGreaterThan(0);
		const released = await cli(base, 'release', '--reverse');
		expect(JSON.parse(released.out)).toEqual({ released: [...held.held].reverse() });
		const replay = await cli(base, 'replay', '--id', String(held.held[0]));
		expect(JSON.parse(replay.out)).toMatchObject({ replayOf: held.held[0] });

		const text = await cli(base, 'text', '--from', CUSTOMER, '--to', SWITCHBOARD_NUMBER, '--body', 'hello');
		expect(JSON.parse(text.out)).toMatchObject({ webhook: { ok: true, errorCode: null } });
		expect(h.hits('/webhooks/twilio/sms')[0]!.form().get('Body')).toBe('hello');
	});

	it('explains bad usage and refused input', async () => {
		h = await startHarness();
		const base = await h.serveCarrier();
		expect((await cli(base, 'call', '--from', CUSTOMER)).out).toMatch(/call needs --to/);
		const bad = await cli(base, 'call', '--from', 'nope', '--to', SWITCHBOARD_NUMBER);
		expect(bad.code).toBe(1);
		expect(bad.out).toMatch(/E\.164/);
		expect((await cli(base, 'answer', '--as', 'bob')).out).toMatch(/Nothing is ringing at client:bob/);
		expect((await cli(base, 'help')).out).toMatch(/Usage: npm run carrier/);
	});
});
