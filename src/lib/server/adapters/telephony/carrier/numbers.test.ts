/**
 * IncomingPhoneNumbers and Applications on the carrier's REST, through the official twilio
 * client, and provisioning (provision.ts) run against them the way `npm run provision` runs
 * against Twilio.
 */
import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { formatProvisionReport, provisionNumbers, type NumberRoutes } from '../provision';
import { RebasingRequestClient, TwilioTelephony } from '../twilio';
import { ACCOUNT, CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

const ROUTES: NumberRoutes = {
	voice: '/webhooks/twilio/voice',
	voiceFallback: '/webhooks/twilio/voice/fallback',
	voiceStatus: '/webhooks/twilio/voice/status',
	sms: '/webhooks/twilio/sms',
	smsFallback: '/webhooks/twilio/sms/fallback'
};
const SUPPORT = '+14155550101';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

async function withClient() {
	h = await startHarness();
	const base = await h.serveCarrier();
	const client = twilio(h.carrier.tokenKeySid, TOKEN, { accountSid: ACCOUNT, httpClient: new RebasingRequestClient(base) });
	return { base, client };
}

/** The code of the RestException `promise` rejects with. */
async function restCode(promise: Promise<unknown>): Promise<number | undefined> {
	const err = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(twilio.RestException);
	return (err as InstanceType<typeof twilio.RestException>).code;
}

describe('IncomingPhoneNumbers on the carrier', () => {
	it('lists, filters, fetches and updates numbers; the next call and text use the new URLs', async () => {
		const { client } = await withClient();
		const sales = h.engine.ownNumber(SWITCHBOARD_NUMBER, 'Sales');
		h.engine.ownNumber(SUPPORT, 'Support');

		const all = await client.incomingPhoneNumbers.list();
		expect(all.map((n) => n.phoneNumber)).toEqual([SWITCHBOARD_NUMBER, SUPPORT]);
		expect(all[0]).toMatchObject({ sid: sales.sid, accountSid: ACCOUNT, friendlyName: 'Sales', voiceUrl: '', voiceMethod: 'POST', capabilities: { voice: true, sms: true } });
		expect(sales.sid).toMatch(/^PN[0-9a-f]{32}$/);
		expect((await client.incomingPhoneNumbers.list({ phoneNumber: SUPPORT })).map((n) => n.friendlyName)).toEqual(['Support']);
		expect((await client.incomingPhoneNumbers.list({ phoneNumber: '555010*' })).length).toBe(2);
		expect(await client.incomingPhoneNumbers.list({ friendlyName: 'Nobody' })).toEqual([]);

		const updated = await client.incomingPhoneNumbers(sales.sid).update({
			voiceUrl: `${h.server.url}/v2/voice`,
			voiceFallbackUrl: `${h.server.url}/v2/voice-fallback`,
			statusCallback: `${h.server.url}/v2/status`,
			smsUrl: `${h.server.url}/v2/sms`
		});
		expect(updated).toMatchObject({ voiceUrl: `${h.server.url}/v2/voice`, smsUrl: `${h.server.url}/v2/sms`, voiceFallbackUrl: `${h.server.url}/v2/voice-fallback` });
		expect((await client.incomingPhoneNumbers(sales.sid).fetch()).statusCallback).toBe(`${h.server.url}/v2/status`);

		h.routes.set('/v2/voice', () => ({ status: 500 }));
		h.routes.set('/v2/voice-fallback', () => twiml('<Say>Fallback speaking</Say><Hangup/>'));
		h.routes.set('/v2/status', () => ({ status: 204 }));
		h.routes.set('/v2/sms', () => twiml(''));
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(5000);
		expect(h.hits('/v2/voice')).toHaveLength(1);
		expect(h.hits('/v2/voice-fallback')[0]?.form().get('ErrorCode')).toBe('11217');
		expect(call.heard).toContain('Fallback speaking');
		expect(h.hits('/v2/status').map((r) => r.form().get('CallStatus'))).toContain('completed');
		expect(h.hits('/webhooks/twilio/voice')).toHaveLength(0);

		await h.engine.scenario.sendText({ from: CUSTOMER, to: SWITCHBOARD_NUMBER, body: 'hello' });
		await h.clock.advance(1000);
		expect(h.hits('/v2/sms').map((r) => r.form().get('Body'))).toEqual(['hello']);

		// An empty URL clears it: no more status callbacks for the next call.
		await client.incomingPhoneNumbers(sales.sid).update({ statusCallback: '' });
		h.routes.set('/v2/voice', () => twiml('<Hangup/>'));
		h.engine.phone('+12125550124').call(SWITCHBOARD_NUMBER);
		const before = h.hits('/v2/status').length;
		await h.clock.advance(5000);
		expect(h.hits('/v2/status')).toHaveLength(before);
	});

	it("refuses bad updates with Twilio's codes and changes nothing", async () => {
		const { client } = await withClient();
		const sales = h.engine.ownNumber(SWITCHBOARD_NUMBER, 'Sales');
		const before = await client.incomingPhoneNumbers(sales.sid).fetch();
		expect(await restCode(client.incomingPhoneNumbers(`PN${'0'.repeat(32)}`).fetch())).toBe(20404);
		expect(await restCode(client.incomingPhoneNumbers(`PN${'0'.repeat(32)}`).update({ voiceUrl: 'https://example.com/v' }))).toBe(20404);
		// The valid field is not written when another one is refused.
		expect(await restCode(client.incomingPhoneNumbers(sales.sid).update({ smsUrl: 'https://example.com/sms', voiceUrl: 'not a url' }))).toBe(21402);
		expect(await restCode(client.incomingPhoneNumbers(sales.sid).update({ voiceUrl: 'ftp://example.com/voice' }))).toBe(21402);
		expect(await restCode(client.incomingPhoneNumbers(sales.sid).update({ smsUrl: 'https://example.com/sms', voiceMethod: 'PUT' }))).toBe(21403);
		const after = await client.incomingPhoneNumbers(sales.sid).fetch();
		expect({ ...after.toJSON(), dateUpdated: null }).toEqual({ ...before.toJSON(), dateUpdated: null });
	});

	it('reads and updates the TwiML App softphones call through', async () => {
		const { client } = await withClient();
		const app = await client.applications(h.carrier.applicationSid).fetch();
		expect(app).toMatchObject({ sid: h.carrier.applicationSid, voiceUrl: `${h.server.url}/webhooks/twilio/voice`, voiceMethod: 'POST' });
		await client.applications(h.carrier.applicationSid).update({ voiceUrl: `${h.server.url}/app/voice` });
		h.routes.set('/app/voice', () => twiml('<Say>Placed through the app</Say>'));
		h.engine.device('agent').register();
		const outgoing = [...h.engine.devices.get('agent')!][0]!.connect({ params: { To: CUSTOMER } });
		await h.clock.advance(2000);
		expect(h.hits('/app/voice')[0]?.form().get('ApplicationSid')).toBe(h.carrier.applicationSid);
		expect(outgoing.sid).toMatch(/^CA/);
		expect(await restCode(client.applications(`AP${'0'.repeat(32)}`).fetch())).toBe(20404);
	});
});

describe('provisioning through the official client', () => {
	it('configures every number and the TwiML App once; a second run and a dry run write nothing', async () => {
		const { base } = await withClient();
		h.engine.ownNumber(SWITCHBOARD_NUMBER, 'Sales');
		h.engine.ownNumber(SUPPORT, 'Support');
		const port = new TwilioTelephony({ accountSid: ACCOUNT, authToken: TOKEN, apiKeySid: h.carrier.tokenKeySid, apiKeySecret: TOKEN, twimlAppSid: h.carrier.applicationSid, apiBaseUrl: base });
		const publicBaseUrl = 'https://switchboard.example.com';
		const input = { publicBaseUrl, routes: ROUTES, numbers: [SWITCHBOARD_NUMBER, SUPPORT] };

		const dry = await port.provisionNumbers({ ...input, dryRun: true });
		expect(dry.applied).toBe(false);
		// 10 fields per number minus the methods already POST (5), plus the app's fallback URL.
		expect(dry.changes.filter((c) => c.resource === SWITCHBOARD_NUMBER).map((c) => c.field)).toEqual(['VoiceUrl', 'VoiceFallbackUrl', 'StatusCallback', 'SmsUrl', 'SmsFallbackUrl']);
		expect(dry.changes.filter((c) => c.resource.startsWith('TwiML App')).map((c) => [c.field, c.desired])).toEqual([
			['VoiceUrl', `${publicBaseUrl}/webhooks/twilio/voice`],
			['VoiceFallbackUrl', `${publicBaseUrl}/webhooks/twilio/voice/fallback`]
		]);
		expect(formatProvisionReport(dry, true)).toContain('Dry run: 12 fields would change; nothing was written.');
		expect(h.engine.numberConfig(SWITCHBOARD_NUMBER).voiceFallbackUrl).toBeNull();

		const first = await port.provisionNumbers(input);
		expect(first).toMatchObject({ applied: true, unchanged: [] });
		expect(first.changes).toHaveLength(12);
		expect(h.engine.numberConfig(SUPPORT)).toMatchObject({
			voiceUrl: `${publicBaseUrl}/webhooks/twilio/voice`,
			voiceFallbackUrl: `${publicBaseUrl}/webhooks/twilio/voice/fallback`,
			statusCallback: `${publicBaseUrl}/webhooks/twilio/voice/status`,
			smsUrl: `${publicBaseUrl}/webhooks/twilio/sms`,
			smsFallbackUrl: `${publicBaseUrl}/webhooks/twilio/sms/fallback`
		});

		const second = await port.provisionNumbers(input);
		expect(second).toEqual({ changes: [], unchanged: [SWITCHBOARD_NUMBER, SUPPORT, `TwiML App ${h.carrier.applicationSid}`], applied: false, cannotText: [] });
		expect(formatProvisionReport(second, false)).toMatch(/^Nothing to change/);
	});

	it('refuses, before writing anything, a number the account does not have', async () => {
		const { client } = await withClient();
		h.engine.ownNumber(SWITCHBOARD_NUMBER, 'Sales');
		const run = provisionNumbers(client, { publicBaseUrl: 'https://switchboard.example.com', routes: ROUTES, numbers: [SWITCHBOARD_NUMBER, '+14155550199'] }, 'local');
		await expect(run).rejects.toThrow(/\+14155550199 is not on account AC.* Buy or port the number .* Nothing was changed\./);
		expect((await client.incomingPhoneNumbers.list())[0]?.voiceUrl).toBe('');
		await expect(provisionNumbers(client, { publicBaseUrl: 'https://x.example.com', routes: ROUTES, numbers: [] }, 'local')).rejects.toThrow(/no Switchboard numbers/);
	});
});
