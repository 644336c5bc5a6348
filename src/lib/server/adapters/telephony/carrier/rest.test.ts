import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { RebasingRequestClient, TwilioTelephony } from '../twilio';
import { ACCOUNT, CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

describe('carrier REST through the official twilio client', () => {
	it('creates a message and a call, reads them back, and sends the status callbacks', async () => {
		h = await startHarness();
		h.routes.set('/sms/status', () => ({ status: 204 }));
		h.routes.set('/outbound', () => twiml('<Say>Your appointment is tomorrow.</Say>'));
		const base = await h.serveCarrier();
		const port = new TwilioTelephony({ accountSid: ACCOUNT, authToken: TOKEN, apiKeySid: h.carrier.tokenKeySid, apiKeySecret: TOKEN, twimlAppSid: h.carrier.applicationSid, apiBaseUrl: base });
		const sent = await port.sendMessage({ from: SWITCHBOARD_NUMBER, to: CUSTOMER, body: 'Hi from Switchboard', statusCallback: `${h.server.url}/sms/status` });
		expect(sent).toMatchObject({ status: 'queued' });
		expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
		const phone = h.engine.phone(CUSTOMER);
		await h.clock.advance(3000);
		expect(await port.fetchMessage(sent.sid)).toMatchObject({ status: 'delivered', body: 'Hi from Switchboard', direction: 'outbound-api' });
		expect(h.hits('/sms/status').map((r) => r.form().get('MessageStatus'))).toEqual(['sending', 'sent', 'delivered']);
		expect(phone.texts[0]).toMatchObject({ body: 'Hi from Switchboard', status: 'delivered' });

		phone.on('incoming', (c) => queueMicrotask(() => c.answer()));
		const call = await port.createCall({ from: SWITCHBOARD_NUMBER, to: CUSTOMER, url: `${h.server.url}/outbound` });
		await h.clock.advance(10_000);
		const fetched = await port.fetchCall(call.sid);
		expect(fetched).toMatchObject({ status: 'completed', direction: 'outbound-api', from: SWITCHBOARD_NUMBER, to: CUSTOMER });
		expect(phone.calls[0]!.heard).toEqual(['Your appointment is tomorrow.']);
	});

	it('sends status callbacks with GET when StatusCallbackMethod asks, for an API call and for a number, signed over the full URL', async () => {
		h = await startHarness();
		h.routes.set('/outbound', () => twiml('<Say>Hello.</Say>'));
		h.routes.set('/call-status', () => ({ status: 204 }));
		h.routes.set('/number-status', () => ({ status: 204 }));
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Say>Thanks for calling.</Say><Hangup/>'));
		const base = await h.serveCarrier();
		const client = twilio(ACCOUNT, TOKEN, { accountSid: ACCOUNT, httpClient: new RebasingRequestClient(base) });
		const phone = h.engine.phone(CUSTOMER);
		phone.on('incoming', (c) => queueMicrotask(() => c.answer()));
		await client.calls.create({ from: SWITCHBOARD_NUMBER, to: CUSTOMER, url: `${h.server.url}/outbound`, statusCallback: `${h.server.url}/call-status`, statusCallbackMethod: 'GET', statusCallbackEvent: ['answered', 'completed'] });
		await h.clock.advance(10_000);
		const api = h.hits('/call-status');
		expect(api.map((r) => [r.method, r.query.get('CallStatus')])).toEqual([
			['GET', 'in-progress'],
			['GET', 'completed']
		]);
		for (const r of api) {
			expect(r.body.length).toBe(0);
			expect(twilio.validateRequest(TOKEN, String(r.headers['x-twilio-signature']), `${h.server.url}${r.path}?${r.query.toString()}`, {})).toBe(true);
		}

		h.engine.ownNumber(SWITCHBOARD_NUMBER, 'Sales');
		const [pn] = await client.incomingPhoneNumbers.list({ phoneNumber: SWITCHBOARD_NUMBER });
		await client.incomingPhoneNumbers(pn!.sid).update({ statusCallback: `${h.server.url}/number-status`, statusCallbackMethod: 'GET' });
		h.engine.phone('+12125550177').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(10_000);
		const inbound = h.hits('/number-status');
		expect(inbound.map((r) => [r.method, r.query.get('CallStatus'), r.query.get('Direction')])).toEqual([['GET', 'completed', 'inbound']]);
	});

	it('holds, unholds and removes conference participants', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () =>
			twiml('<Dial><Conference startConferenceOnEnter="true" endConferenceOnExit="false" beep="false" waitUrl="" statusCallback="/conf/status" statusCallbackEvent="start end join leave hold">room-1</Conference></Dial><Say>Back to the menu</Say>')
		);
		h.routes.set('/conf/status', () => ({ status: 204 }));
		h.routes.set('/hold', () => twiml('<Play>https://example.com/hold.mp3</Play>'));
		const base = await h.serveCarrier();
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(base) });
		const customer = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const [conference] = await client.conferences.list({ friendlyName: 'room-1', status: 'in-progress' });
		expect(conference).toMatchObject({ friendlyName: 'room-1', status: 'in-progress' });
		expect(conference!.sid).toMatch(/^CF[0-9a-f]{32}$/);

		const agent = h.engine.scenario.agent('alice');
		agent.on('incoming', (c) => queueMicrotask(() => c.accept()));
		const added = await client.conferences(conference!.sid).participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:alice', label: 'agent' });
		await h.clock.advance(3000);
		expect((await client.conferences(conference!.sid).participants.list()).map((p) => p.callSid).sort()).toEqual([customer.sid, added.callSid].sort());

		const held = await client.conferences(conference!.sid).participants(customer.sid).update({ hold: true, holdUrl: `${h.server.url}/hold` });
		expect(held.hold).toBe(true);
		await h.clock.advance(1000);
		expect(customer.heard).toContain('[play https://example.com/hold.mp3]');
		await client.conferences(conference!.sid).participants(customer.sid).update({ hold: false });
		await client.conferences(conference!.sid).participants(added.callSid).remove();
		await h.clock.advance(2000);
		const events = h.hits('/conf/status').map((r) => r.form().get('StatusCallbackEvent'));
		expect(events).toEqual(['conference-start', 'participant-join', 'participant-join', 'participant-hold', 'participant-unhold', 'participant-leave']);
		const seq = h.hits('/conf/status').map((r) => Number(r.form().get('SequenceNumber')));
		expect(seq).toEqual([0, 1, 2, 3, 4, 5]);
		expect(agent.calls[0]!.status()).toBe('closed');
		customer.hangUp();
		await h.clock.advance(1000);
		expect(h.hits('/conf/status').map((r) => r.form().get('StatusCallbackEvent')).slice(-2)).toEqual(['participant-leave', 'conference-end']);
		await expect(client.conferences(conference!.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
	});

	it('redirects a live call with calls(sid).update({twiml}) and refuses bad credentials', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Enqueue>support</Enqueue>'));
		const base = await h.serveCarrier();
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(base) });
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		await client.calls(call.sid).update({ twiml: '<Response><Say>Transferred</Say></Response>' });
		await h.clock.advance(5000);
		expect(call.heard).toEqual(['[hold music]', 'Transferred']);
		expect(call.status).toBe('completed');
		const intruder = twilio(ACCOUNT, 'wrong-token', { httpClient: new RebasingRequestClient(base) });
		await expect(intruder.calls(call.sid).fetch()).rejects.toMatchObject({ status: 401, code: 20003 });
	});
});
