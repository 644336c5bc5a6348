/**
 * Conference details as Twilio reports them: who hears the wait music before the conference
 * starts, and why it ended when participants leave or are removed over REST (kicked).
 */
import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { RebasingRequestClient } from '../twilio';
import { ACCOUNT, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const conf = (attrs: string) =>
	twiml(`<Dial><Conference statusCallback="/conf/status" statusCallbackEvent="start end join leave" ${attrs}>room</Conference></Dial>`);

/** One caller per number, each with the conference attributes its number gets. */
async function room(attrsByCaller: Record<string, string>) {
	h = await startHarness();
	h.routes.set('/webhooks/twilio/voice', (req) => conf(attrsByCaller[req.form().get('From') ?? ''] ?? ''));
	h.routes.set('/conf/status', () => ({ status: 204 }));
	const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await h.serveCarrier()) });
	const ends = () =>
		h
			.hits('/conf/status')
			.map((r) => Object.fromEntries(r.form()))
			.filter((e) => e.StatusCallbackEvent === 'conference-end');
	return { client, ends };
}

describe('conferences', () => {
	it('plays the wait music to a participant who cannot start it, until one who can joins; waitUrl="" is silence', async () => {
		await room({ '+12125550001': 'startConferenceOnEnter="false"', '+12125550002': 'startConferenceOnEnter="false" waitUrl=""', '+12125550003': '' });
		const first = h.engine.phone('+12125550001').call(SWITCHBOARD_NUMBER);
		const quiet = h.engine.phone('+12125550002').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		expect(first.heard).toEqual(['[hold music]']);
		expect(quiet.heard).toEqual([]);
		expect(h.engine.conferences.get('room')?.status).toBe('init');
		h.engine.phone('+12125550003').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		expect(h.engine.conferences.get('room')?.status).toBe('in-progress');
	});

	it('says a conference ended because its endConferenceOnExit participant was kicked, or its last one', async () => {
		const { client, ends } = await room({ '+12125550001': 'endConferenceOnExit="true"', '+12125550002': '' });
		const moderator = h.engine.phone('+12125550001').call(SWITCHBOARD_NUMBER);
		const guest = h.engine.phone('+12125550002').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		const [room1] = await client.conferences.list({ friendlyName: 'room' });
		await client.conferences(room1!.sid).participants(moderator.sid).remove();
		await h.clock.advance(2000);
		expect(ends()).toMatchObject([{ ReasonConferenceEnded: 'participant-with-end-conference-on-exit-kicked', CallSidEndingConference: moderator.sid }]);
		expect(guest.status).toBe('completed');

		const alone = h.engine.phone('+12125550002').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		const [room2] = await client.conferences.list({ friendlyName: 'room', status: 'in-progress' });
		expect(room2!.sid).not.toBe(room1!.sid);
		await client.conferences(room2!.sid).participants(alone.sid).remove();
		await h.clock.advance(2000);
		expect(ends()[1]).toMatchObject({ ReasonConferenceEnded: 'last-participant-kicked', CallSidEndingConference: alone.sid });

		const leaver = h.engine.phone('+12125550002').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		leaver.hangUp();
		await h.clock.advance(2000);
		expect(ends()[2]).toMatchObject({ ReasonConferenceEnded: 'last-participant-left', CallSidEndingConference: leaver.sid });
		expect(ends()).toHaveLength(3);
	});
});
