/** Provisioning's refusal of numbers whose texts a Messaging Service's own webhook takes (real Twilio only). */
import type twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { provisionNumbers } from './provision';

const NUMBER = '+14155550100';
const ROUTES = { voice: '/v', voiceFallback: '/vf', voiceStatus: '/vs', sms: '/s', smsFallback: '/sf' };

function fakeClient(services: { sid: string; friendlyName: string; useInboundWebhookOnNumber: boolean; inboundRequestUrl: string; numbers: string[] }[]) {
	const updates: Record<string, string>[] = [];
	const services_ = Object.assign((sid: string) => ({ phoneNumbers: { list: () => Promise.resolve((services.find((s) => s.sid === sid)?.numbers ?? []).map((phoneNumber) => ({ phoneNumber }))) } }), {
		list: () => Promise.resolve(services)
	});
	const client = {
		accountSid: `AC${'1'.repeat(32)}`,
		incomingPhoneNumbers: Object.assign(() => ({ update: (o: Record<string, string>) => Promise.resolve(void updates.push(o)) }), {
			list: () => Promise.resolve([{ sid: `PN${'2'.repeat(32)}`, phoneNumber: NUMBER, capabilities: { sms: true, voice: true, mms: true, fax: false } }])
		}),
		messaging: { v1: { services: services_ } }
	};
	return { client: client as unknown as twilio.Twilio, updates };
}

describe('provisionNumbers and Messaging Services', () => {
	it("refuses, before writing, a number whose Messaging Service sends its own inbound webhook", async () => {
		const { client, updates } = fakeClient([
			{ sid: `MG${'3'.repeat(32)}`, friendlyName: 'Marketing', useInboundWebhookOnNumber: false, inboundRequestUrl: 'https://other.example.com/sms', numbers: [NUMBER] }
		]);
		await expect(provisionNumbers(client, { publicBaseUrl: 'https://sb.example.com', routes: ROUTES, numbers: [NUMBER], checkMessagingServices: true }, 'twilio')).rejects.toThrow(
			`${NUMBER} is in Messaging Service MG${'3'.repeat(32)} (Marketing), whose inbound webhook https://other.example.com/sms replaces the number's SmsUrl.`
		);
		expect(updates).toEqual([]);
	});

	it("provisions a number whose service defers to the sender's webhook", async () => {
		const { client, updates } = fakeClient([
			{ sid: `MG${'4'.repeat(32)}`, friendlyName: 'Care', useInboundWebhookOnNumber: true, inboundRequestUrl: '', numbers: [NUMBER] }
		]);
		const report = await provisionNumbers(client, { publicBaseUrl: 'https://sb.example.com', routes: ROUTES, numbers: [NUMBER], checkMessagingServices: true }, 'twilio');
		expect(report.applied).toBe(true);
		expect(updates[0]).toMatchObject({ smsUrl: 'https://sb.example.com/s', voiceUrl: 'https://sb.example.com/v' });
	});
});
