/**
 * REST update of the CHILD leg of a `<Dial>` bridge, as Twilio does it: the child leaves the
 * bridge and runs its new TwiML (it is not hung up), and the parent's Dial ends with
 * DialCallStatus=completed and requests its action, whose answer the parent runs next. This is
 * how a call moves into a conference (src/lib/server/call-control/conference.ts).
 */
import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { RebasingRequestClient } from '../twilio';
import { ACCOUNT, CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const room = (label: string) =>
	twiml(`<Dial><Conference statusCallback="/conf" statusCallbackEvent="join leave" participantLabel="${label}">call-room</Conference></Dial>`);

describe('REST redirect of a bridged child leg', () => {
	it('moves both legs of a Dial<Client> bridge into a conference, the parent through its Dial action', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Dial action="/dial-action" timeout="20"><Client>alice</Client></Dial>'));
		h.routes.set('/dial-action', () => room('customer'));
		h.routes.set('/conf', () => ({ status: 204 }));
		const alice = h.engine.device('alice');
		alice.register();
		let childSid = '';
		alice.on('incoming', (c) => {
			childSid = c.parameters.CallSid ?? '';
			queueMicrotask(() => c.accept());
		});
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await h.serveCarrier()) });

		const customer = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(5000);
		const child = await client.calls(childSid).fetch();
		expect(child).toMatchObject({ status: 'in-progress', parentCallSid: customer.sid });

		await client.calls(child.sid).update({ twiml: room('agent:alice') });
		await h.clock.advance(5000);

		const action = Object.fromEntries(h.hits('/dial-action')[0]!.form());
		expect(action).toMatchObject({ CallSid: customer.sid, DialCallStatus: 'completed', DialCallSid: child.sid, DialBridged: 'true' });
		expect(h.hits('/dial-action')).toHaveLength(1);
		// The child was not hung up: both legs are live, in the conference.
		expect((await client.calls(child.sid).fetch()).status).toBe('in-progress');
		expect(customer.status).toBe('in-progress');
		const [conf] = await client.conferences.list({ friendlyName: 'call-room', status: 'in-progress' });
		const participants = await client.conferences(conf!.sid).participants.list();
		expect(participants.map((p) => p.callSid).sort()).toEqual([child.sid, customer.sid].sort());

		customer.hangUp();
		await h.clock.advance(2000);
		await client.calls(child.sid).update({ status: 'completed' });
		await h.clock.advance(2000);
		expect(h.engine.liveCalls).toEqual([]);
	});

	it('still hangs up the child when the PARENT is redirected', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Dial timeout="20"><Client>alice</Client></Dial>'));
		h.routes.set('/elsewhere', () => twiml('<Say>Moved</Say><Pause length="60"/>'));
		const alice = h.engine.device('alice');
		alice.register();
		let childSid = '';
		alice.on('incoming', (c) => {
			childSid = c.parameters.CallSid ?? '';
			queueMicrotask(() => c.accept());
		});
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await h.serveCarrier()) });
		const customer = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(5000);
		await client.calls(customer.sid).update({ url: `${h.server.url}/elsewhere` });
		await h.clock.advance(2000);
		expect(customer.heard).toContain('Moved');
		expect((await client.calls(childSid).fetch()).status).toBe('completed');
	});
});
