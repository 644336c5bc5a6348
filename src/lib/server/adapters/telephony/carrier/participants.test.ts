/**
 * Twilio's Conference Participants against the twin, through the official `twilio` client:
 * labels (fetch, update, remove by label), participants listed while they ring, Twilio's error
 * codes, conference status callbacks with their fields, endConferenceOnExit, the conference
 * recording, announcements, who hears whom (`audioRouting` and the scenario endpoint), and the
 * browser audio links a conference gives its watched participants.
 */
import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import type { MediaEvent } from '../../../../media/media-signal';
import { RebasingRequestClient } from '../twilio';
import type { DeviceCall } from './parties';
import { ACCOUNT, CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const ROOM = 'call-CA1';
const CUSTOMER_CONFERENCE = `<Dial><Conference participantLabel="customer" startConferenceOnEnter="true" endConferenceOnExit="true" beep="false" waitUrl="" statusCallback="/conf" statusCallbackEvent="start end join leave mute hold modify announcement" record="record-from-start" recordingStatusCallback="/rec">${ROOM}</Conference></Dial>`;

/** A customer in the conference (its TwiML as CONTROL writes it) and a client for the twin's REST. */
async function room() {
	h = await startHarness();
	h.routes.set('/webhooks/twilio/voice', () => twiml(CUSTOMER_CONFERENCE));
	for (const path of ['/conf', '/rec', '/agent-status']) h.routes.set(path, () => ({ status: 204 }));
	const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await h.serveCarrier()) });
	const customer = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
	await h.clock.advance(1000);
	const events = () => h.hits('/conf').map((r) => Object.fromEntries(r.form()));
	return { client, customer, events, conference: () => client.conferences(ROOM) };
}

/** An agent softphone that answers whatever rings it, recording the media events of its calls. */
function agent(identity: string, media: MediaEvent[] = []) {
	const device = h.engine.scenario.agent(identity);
	device.on('incoming', (call: DeviceCall) => {
		call.on('media', (e) => media.push(e));
		queueMicrotask(() => call.accept());
	});
	return device;
}

describe('conference participants as Twilio serves them', () => {
	it('adds a labelled participant, lists it while it rings, and fetches, updates and removes it by label', async () => {
		const { client, customer, events, conference } = await room();
		h.engine.scenario.agent('alice');
		const added = await conference().participants.create({
			from: SWITCHBOARD_NUMBER,
			to: 'client:alice',
			label: 'agent:u1',
			beep: 'false',
			endConferenceOnExit: false,
			earlyMedia: true,
			statusCallback: '/agent-status',
			statusCallbackEvent: ['answered', 'completed']
		});
		expect(added).toMatchObject({ label: 'agent:u1', status: 'queued', hold: false, muted: false, coaching: false, endConferenceOnExit: false });
		await h.clock.advance(100);
		expect(await conference().participants('agent:u1').fetch()).toMatchObject({ callSid: added.callSid, status: 'ringing' });
		h.engine.scenario.answerAs('alice');
		await h.clock.advance(100);
		const [sid] = (await client.conferences.list({ friendlyName: ROOM, status: 'in-progress' })).map((c) => c.sid);
		expect(await client.conferences(sid!).participants('agent:u1').fetch()).toMatchObject({ callSid: added.callSid, status: 'connected', label: 'agent:u1' });
		expect((await conference().participants('customer').update({ hold: true })).hold).toBe(true);
		expect(customer.heard.at(-1)).toBe('[hold music]');
		await conference().participants('customer').update({ hold: false });
		await conference().participants('agent:u1').update({ muted: true });
		await conference().participants('agent:u1').remove();
		await h.clock.advance(1000);
		expect(h.carrier.calls.get(added.callSid)?.status).toBe('completed');
		expect(h.hits('/agent-status').map((r) => r.form().get('CallStatus'))).toEqual(['in-progress', 'completed']);
		const sent = events();
		expect(sent.map((e) => e.StatusCallbackEvent)).toEqual([
			'conference-start',
			'participant-join',
			'participant-join',
			'participant-hold',
			'participant-unhold',
			'participant-mute',
			'participant-leave'
		]);
		expect(sent.map((e) => e.SequenceNumber)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
		expect(sent[1]).toMatchObject({ CallSid: customer.sid, ParticipantLabel: 'customer', EndConferenceOnExit: 'true', StartConferenceOnEnter: 'true', Hold: 'false', Muted: 'false', Coaching: 'false' });
		expect(sent[3]).toMatchObject({ CallSid: customer.sid, Hold: 'true' });
		expect(sent[5]).toMatchObject({ CallSid: added.callSid, ParticipantLabel: 'agent:u1', Muted: 'true', EndConferenceOnExit: 'false' });
		expect(customer.status).toBe('in-progress');
	});

	it('cancels the call of a participant removed while it rings, and forgets a conference nobody reached', async () => {
		h = await startHarness();
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await h.serveCarrier()) });
		h.engine.scenario.agent('bob');
		const added = await client.conferences('consult-1').participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:bob', label: 'agent:bob' });
		await h.clock.advance(100);
		expect(await client.conferences('consult-1').participants.list()).toMatchObject([{ callSid: added.callSid, status: 'ringing' }]);
		await client.conferences('consult-1').participants('agent:bob').remove();
		await h.clock.advance(100);
		expect(h.carrier.calls.get(added.callSid)?.status).toBe('canceled');
		expect(h.engine.devices.get('bob')!.values().next().value!.calls[0]!.status()).toBe('closed');
		await expect(client.conferences('consult-1').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
	});

	it("refuses with Twilio's codes and changes nothing", async () => {
		const { client, customer, events, conference } = await room();
		agent('alice');
		const a = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:alice', label: 'agent:alice' });
		await h.clock.advance(100);
		const refused = (p: Promise<unknown>) => expect(p).rejects;
		await refused(conference().participants('nobody').fetch()).toMatchObject({ status: 404, code: 20404 });
		await refused(conference().participants('nobody').update({ muted: true })).toMatchObject({ status: 404, code: 20404 });
		await refused(client.conferences(`CF${'0'.repeat(32)}`).participants.list()).toMatchObject({ status: 404, code: 20404 });
		await refused(conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:carol', label: 'agent:alice' })).toMatchObject({ status: 400, code: 16025 });
		await refused(conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:carol', label: 'a/b' })).toMatchObject({ status: 400, code: 16023 });
		await refused(conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:sup', coaching: true, callSidToCoach: `CA${'0'.repeat(32)}` })).toMatchObject({
			status: 400,
			code: 16028
		});
		await refused(conference().participants.create({ from: '+19995550100', to: '+13035550100' })).toMatchObject({ status: 400, code: 21210 });
		await refused(conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:carol', timeout: 2 })).toMatchObject({ status: 400, code: 21216 });
		await conference().participants('agent:alice').update({ hold: true });
		await refused(conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:sup', coaching: true, callSidToCoach: a.callSid })).toMatchObject({ status: 400, code: 16027 });
		agent('sup');
		const sup = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:sup', label: 'supervisor:s' });
		await h.clock.advance(100);
		await refused(conference().participants(sup.callSid).update({ coaching: true, callSidToCoach: a.callSid, muted: true })).toMatchObject({ status: 400, code: 16027 });
		expect(await conference().participants(sup.callSid).fetch()).toMatchObject({ coaching: false, muted: false, callSidToCoach: null });
		expect(await conference().participants.list()).toHaveLength(3);
		expect(h.carrier.calls.size).toBe(3);
		expect(events().filter((e) => e.StatusCallbackEvent === 'participant-modify')).toEqual([]);
		expect(customer.status).toBe('in-progress');
	});

	it('routes audio as Twilio mixes it: hold, monitor (muted), whisper (coaching), barge; on the scenario API too', async () => {
		const { client, customer, events, conference } = await room();
		agent('alice');
		agent('sup');
		const a = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:alice', label: 'agent:alice' });
		await h.clock.advance(100);
		const routing = () => Object.fromEntries(h.engine.audioRouting(ROOM).participants.map((p) => [p.label ?? p.callSid, p] as const));
		expect(routing()).toMatchObject({ customer: { hears: [a.callSid], hearsHoldMusic: false }, 'agent:alice': { hears: [customer.sid] } });

		await conference().participants('customer').update({ hold: true });
		expect(routing()).toMatchObject({ customer: { hold: true, hears: [], hearsHoldMusic: true }, 'agent:alice': { hears: [] } });
		await conference().participants('customer').update({ hold: false });

		const s = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:sup', label: 'supervisor:s', muted: true });
		await h.clock.advance(100);
		// Monitor: hears everyone, heard by nobody.
		expect(routing()).toMatchObject({ customer: { hears: [a.callSid] }, 'agent:alice': { hears: [customer.sid] }, 'supervisor:s': { muted: true, hears: [customer.sid, a.callSid] } });
		// Whisper: only the coached agent hears the supervisor.
		await conference().participants('supervisor:s').update({ muted: false, coaching: true, callSidToCoach: a.callSid });
		expect(routing()).toMatchObject({
			customer: { hears: [a.callSid] },
			'agent:alice': { hears: [customer.sid, s.callSid] },
			'supervisor:s': { coaching: true, callSidToCoach: a.callSid, hears: [customer.sid, a.callSid] }
		});
		await h.clock.advance(100);
		const modify = events().find((e) => e.StatusCallbackEvent === 'participant-modify');
		expect(modify).toMatchObject({ CallSid: s.callSid, Coaching: 'true', CallSidToCoach: a.callSid, ParticipantLabel: 'supervisor:s' });
		// Barge: everyone hears everyone.
		await conference().participants('supervisor:s').update({ coaching: false });
		expect(routing()['customer']!.hears).toEqual([a.callSid, s.callSid]);
		expect((await conference().participants('supervisor:s').fetch()).callSidToCoach).toBeNull();

		const base = await h.serveCarrier();
		const viaApi = (await fetch(`${base}/scenario/conferences/${ROOM}/audio`).then((r) => r.json())) as unknown;
		expect(viaApi).toEqual(h.engine.audioRouting(ROOM));
		const [sid] = (await client.conferences.list({ friendlyName: ROOM })).map((c) => c.sid);
		expect(await fetch(`${base}/scenario/conferences/${sid}/audio`).then((r) => r.json())).toMatchObject({ conferenceSid: sid, friendlyName: ROOM, status: 'in-progress' });
		expect((await fetch(`${base}/scenario/conferences/nope/audio`)).status).toBe(404);
	});

	it('ends everything when the endConferenceOnExit customer hangs up, leaves before the end, and delivers one conference recording', async () => {
		const { customer, events, conference } = await room();
		agent('alice');
		const a = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:alice', label: 'agent:alice' });
		await h.clock.advance(30_000);
		customer.hangUp();
		await h.clock.advance(2000);
		expect(h.carrier.calls.get(a.callSid)?.status).toBe('completed');
		const tail = events().slice(-3);
		expect(tail.map((e) => e.StatusCallbackEvent)).toEqual(['participant-leave', 'participant-leave', 'conference-end']);
		expect(tail[2]).toMatchObject({ ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left', CallSidEndingConference: customer.sid });
		const recordings = h.hits('/rec').map((r) => Object.fromEntries(r.form()));
		expect(recordings).toHaveLength(1);
		expect(recordings[0]).toMatchObject({ RecordingSource: 'Conference', ConferenceSid: tail[2]!.ConferenceSid, RecordingChannels: '1', RecordingStatus: 'completed', CallSid: customer.sid });
		expect(Number(recordings[0]!.RecordingDuration)).toBeGreaterThanOrEqual(30);
		expect([...h.carrier.recordings.values()].filter((r) => r.source === 'Conference')).toHaveLength(1);
	});

	it('records a conference a REST participant creates with ConferenceRecord, reporting to its ConferenceRecordingStatusCallback', async () => {
		h = await startHarness();
		for (const path of ['/conf', '/conf-rec']) h.routes.set(path, () => ({ status: 204 }));
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await h.serveCarrier()) });
		agent('alice');
		agent('bob');
		const create = (to: string) =>
			client.conferences('consult-2').participants.create({
				from: SWITCHBOARD_NUMBER,
				to,
				conferenceRecord: 'record-from-start',
				conferenceRecordingStatusCallback: `${h.server.url}/conf-rec`,
				conferenceStatusCallback: `${h.server.url}/conf`
			});
		const a = await create('client:alice');
		await h.clock.advance(100);
		const b = await create('client:bob');
		await h.clock.advance(10_000);
		h.engine.hangUp(a.callSid);
		h.engine.hangUp(b.callSid);
		await h.clock.advance(1000);
		// Twilio's default conference events for a REST-made conference: start and end.
		expect(h.hits('/conf').map((r) => r.form().get('StatusCallbackEvent'))).toEqual(['conference-start', 'conference-end']);
		const [rec] = h.hits('/conf-rec').map((r) => Object.fromEntries(r.form()));
		expect(rec).toMatchObject({ RecordingSource: 'Conference', CallSid: a.callSid, RecordingChannels: '1' });
		expect(h.hits('/conf-rec')).toHaveLength(1);
	});

	it('lets a participant redirected over REST leave the conference and run its new TwiML', async () => {
		const { client, customer, events, conference } = await room();
		agent('alice');
		const a = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:alice', label: 'agent:alice' });
		await h.clock.advance(100);
		await client.calls(a.callSid).update({ twiml: '<Response><Say>Your next call</Say><Pause length="5"/></Response>' });
		await h.clock.advance(1000);
		expect(events().at(-1)).toMatchObject({ StatusCallbackEvent: 'participant-leave', CallSid: a.callSid });
		expect(h.engine.heard(a.callSid)).toContain('Your next call');
		expect(h.carrier.calls.get(a.callSid)?.status).toBe('in-progress');
		expect(h.engine.audioRouting(ROOM).participants.map((p) => p.callSid)).toEqual([customer.sid]);
		await h.clock.advance(10_000);
		expect(h.carrier.calls.get(a.callSid)?.status).toBe('completed');
	});

	it('refuses a <Conference> join whose participantLabel is in use (16025) or whose coach is absent (13240): the Dial ends failed', async () => {
		h = await startHarness();
		const coach = `CA${'0'.repeat(32)}`;
		h.routes.set('/webhooks/twilio/voice', (req) => {
			const from = req.form().get('From');
			const attrs = from === '+12125550003' ? `coach="${coach}"` : 'participantLabel="customer"';
			return twiml(`<Dial action="/after"><Conference ${attrs}>room-x</Conference></Dial>`);
		});
		h.routes.set('/after', () => twiml('<Hangup/>'));
		const first = h.engine.phone('+12125550001').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const second = h.engine.phone('+12125550002').call(SWITCHBOARD_NUMBER);
		const third = h.engine.phone('+12125550003').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		// The two callers' webhooks race, so compare without order.
		expect(new Set(h.engine.dispatcher.alerts.map((a) => `${a.code} ${a.callSid}`))).toEqual(new Set([`16025 ${second.sid}`, `13240 ${third.sid}`]));
		expect(new Set(h.hits('/after').map((r) => `${r.form().get('CallSid')} ${r.form().get('DialCallStatus')}`))).toEqual(new Set([`${second.sid} failed`, `${third.sid} failed`]));
		expect(h.hits('/after')).toHaveLength(2);
		expect(h.engine.audioRouting('room-x').participants.map((p) => p.callSid)).toEqual([first.sid]);
	});

	it('makes an agent end the conference on exit once updated so, and plays announcements to the room or to one participant', async () => {
		const { client, customer, events, conference } = await room();
		agent('alice');
		const a = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:alice', label: 'agent:alice' });
		await h.clock.advance(100);
		h.routes.set('/announce', () => twiml('<Say>This call is recorded</Say>'));
		h.routes.set('/just-you', () => twiml('<Say>Your next caller waits</Say>'));
		const [sid] = (await client.conferences.list({ friendlyName: ROOM })).map((c) => c.sid);
		await client.conferences(sid!).update({ announceUrl: `${h.server.url}/announce` });
		await h.clock.advance(500);
		await conference().participants('agent:alice').update({ announceUrl: `${h.server.url}/just-you` });
		await h.clock.advance(500);
		expect(customer.heard).toContain('This call is recorded');
		expect(customer.heard).not.toContain('Your next caller waits');
		const alice = h.engine.heard(a.callSid);
		expect(alice).toEqual(expect.arrayContaining(['This call is recorded', 'Your next caller waits']));
		const ends = events().filter((e) => e.StatusCallbackEvent === 'announcement-end');
		expect(ends).toHaveLength(2);
		expect(ends[0]!.CallSid).toBeUndefined();
		expect(ends[1]!.CallSid).toBe(a.callSid);

		await conference().participants('customer').update({ endConferenceOnExit: false });
		await conference().participants('agent:alice').update({ endConferenceOnExit: true });
		await h.clock.advance(100);
		expect(events().filter((e) => e.StatusCallbackEvent === 'participant-modify').map((e) => [e.CallSid, e.EndConferenceOnExit])).toEqual([
			[customer.sid, 'false'],
			[a.callSid, 'true']
		]);
		await conference().participants('agent:alice').remove();
		await h.clock.advance(1000);
		expect(events().at(-1)).toMatchObject({ StatusCallbackEvent: 'conference-end', ReasonConferenceEnded: 'participant-with-end-conference-on-exit-kicked', CallSidEndingConference: a.callSid });
		expect(customer.status).toBe('completed');
	});
});

describe('live browser audio in a conference', () => {
	it('links each pair of watched participants that hear each other, one way for a coach, and re-links on hold, mute and leave', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml(CUSTOMER_CONFERENCE));
		for (const path of ['/conf', '/rec']) h.routes.set(path, () => ({ status: 204 }));
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await h.serveCarrier()) });
		const conference = () => client.conferences(ROOM);
		const phone = h.engine.phone(CUSTOMER);
		const customerMedia: MediaEvent[] = [];
		phone.on('media', (_sid, e) => customerMedia.push(e));
		const customer = phone.call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const aliceMedia: MediaEvent[] = [];
		const supMedia: MediaEvent[] = [];
		agent('alice', aliceMedia);
		agent('sup', supMedia);
		const a = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:alice', label: 'agent:alice' });
		await h.clock.advance(100);
		expect(customerMedia).toEqual([{ kind: 'start', role: 'offer', peer: a.callSid, send: true, receive: true }]);
		expect(aliceMedia).toEqual([{ kind: 'start', role: 'answer', peer: customer.sid, send: true, receive: true }]);

		// Signals travel along the link, named by the sender.
		const offer = { description: { type: 'offer' as const, sdp: 'v=0' } };
		expect(h.engine.relayMedia(customer.sid, offer, a.callSid)).toBe(true);
		expect(aliceMedia.at(-1)).toEqual({ kind: 'signal', signal: offer, peer: customer.sid });
		expect(h.engine.relayMedia(customer.sid, offer)).toBe(true);
		expect(h.engine.relayMedia(customer.sid, offer, `CA${'0'.repeat(32)}`)).toBe(false);

		await conference().participants('customer').update({ hold: true });
		expect(customerMedia.at(-1)).toEqual({ kind: 'end', peer: a.callSid });
		expect(aliceMedia.at(-1)).toEqual({ kind: 'end', peer: customer.sid });
		expect(h.engine.relayMedia(customer.sid, offer, a.callSid)).toBe(false);
		await conference().participants('customer').update({ hold: false });
		expect(customerMedia.at(-1)).toMatchObject({ kind: 'start', peer: a.callSid });

		const s = await conference().participants.create({ from: SWITCHBOARD_NUMBER, to: 'client:sup', label: 'supervisor:s', coaching: true, callSidToCoach: a.callSid });
		await h.clock.advance(100);
		// The coach hears both; only the agent hears the coach: the customer's link to the coach is one-way.
		expect(supMedia).toEqual([
			{ kind: 'start', role: 'answer', peer: customer.sid, send: false, receive: true },
			{ kind: 'start', role: 'answer', peer: a.callSid, send: true, receive: true }
		]);
		expect(customerMedia.at(-1)).toEqual({ kind: 'start', role: 'offer', peer: s.callSid, send: true, receive: false });

		// Muted (monitor): nobody hears the supervisor, so the agent link turns one-way too.
		await conference().participants('supervisor:s').update({ coaching: false, muted: true });
		expect(supMedia.slice(-2)).toEqual([
			{ kind: 'end', peer: a.callSid },
			{ kind: 'start', role: 'answer', peer: a.callSid, send: false, receive: true }
		]);
		h.engine.hangUp(s.callSid);
		await h.clock.advance(1000);
		expect(customerMedia.at(-1)).toEqual({ kind: 'end', peer: s.callSid });
		expect(h.engine.audioRouting(ROOM).participants.map((p) => p.callSid)).toEqual([customer.sid, a.callSid]);
		customer.hangUp();
		await h.clock.advance(1000);
		expect(aliceMedia.at(-1)).toEqual({ kind: 'end', peer: customer.sid });
	});
});
