/** `npm run provision` end to end: the CLI, the app's config and the official client against the carrier over HTTP. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, SWITCHBOARD_NUMBER, TOKEN, startHarness, type Harness } from './adapters/telephony/carrier/test-switchboard';
import { setLogLevel } from './log';
import { runProvisionCli } from './provision-cli';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

async function run(argv: string[], env: Record<string, string>) {
	const lines: string[] = [];
	const code = await runProvisionCli(argv, { env, print: (l) => lines.push(l) });
	return { code, out: lines.join('\n') };
}

describe('npm run provision', () => {
	it('configures the numbers over Twilio REST, says what changed, and changes nothing the second time', async () => {
		h = await startHarness();
		const base = await h.serveCarrier();
		h.engine.ownNumber(SWITCHBOARD_NUMBER, 'Sales');
		const env = {
			TELEPHONY: 'twilio',
			TWILIO_ACCOUNT_SID: ACCOUNT,
			TWILIO_AUTH_TOKEN: TOKEN,
			TWILIO_API_KEY_SID: h.carrier.tokenKeySid,
			TWILIO_API_KEY_SECRET: TOKEN,
			TWILIO_TWIML_APP_SID: h.carrier.applicationSid,
			TWILIO_API_BASE_URL: base,
			PUBLIC_BASE_URL: 'https://switchboard.example.com',
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-provision-'))
		};
		const dry = await run(['--dry-run', '--numbers', SWITCHBOARD_NUMBER], env);
		expect(dry.code).toBe(0);
		expect(dry.out).toContain(`| ${SWITCHBOARD_NUMBER} | VoiceUrl | (unset) | https://switchboard.example.com/webhooks/twilio/voice |`);
		expect(dry.out).toContain('nothing was written');
		expect(h.engine.numberConfig(SWITCHBOARD_NUMBER).smsFallbackUrl).toBeNull();

		const first = await run(['--numbers', SWITCHBOARD_NUMBER], env);
		expect(first).toMatchObject({ code: 0 });
		expect(first.out).toContain('Updated 7 fields.');
		expect(h.engine.numberConfig(SWITCHBOARD_NUMBER).smsFallbackUrl).toBe('https://switchboard.example.com/webhooks/twilio/sms/fallback');
		expect((await run(['--numbers', SWITCHBOARD_NUMBER], env)).out).toMatch(/^Nothing to change/);

		const missing = await run(['--numbers', `${SWITCHBOARD_NUMBER},+14155550199`], env);
		expect(missing.code).toBe(1);
		expect(missing.out).toContain('+14155550199 is not on account');
	});

	it('refuses a public URL Twilio cannot reach, local mode, and bad options, before any request', async () => {
		h = await startHarness();
		const real = {
			TELEPHONY: 'twilio',
			TWILIO_ACCOUNT_SID: ACCOUNT,
			TWILIO_AUTH_TOKEN: TOKEN,
			TWILIO_API_KEY_SID: `SK${'1'.repeat(32)}`,
			TWILIO_API_KEY_SECRET: 'secret',
			TWILIO_TWIML_APP_SID: `AP${'1'.repeat(32)}`,
			PUBLIC_BASE_URL: 'http://localhost:3000'
		};
		const local = await run(['--numbers', SWITCHBOARD_NUMBER], real);
		expect(local.code).toBe(1);
		expect(local.out).toMatch(/PUBLIC_BASE_URL is http:\/\/localhost:3000, which Twilio cannot call/);
		expect((await run([], { TELEPHONY: 'local' })).out).toMatch(/provisions the local carrier itself at start/);
		expect(await run(['--numbers', '415-555'], real)).toMatchObject({ code: 2 });
		expect((await run(['--frobnicate'], real)).out).toMatch(/^Unknown option --frobnicate/);
		const { TWILIO_API_KEY_SID: _dropped, ...incomplete } = real;
		const config = await run([], incomplete);
		expect(config.code).toBe(2);
		expect(config.out).toContain('TWILIO_API_KEY_SID');
	});

	it('refuses a number attached to an application or trunk (its URLs would be ignored) unless --detach, and reports numbers that cannot text', async () => {
		h = await startHarness();
		const base = await h.serveCarrier();
		const owned = h.engine.ownNumber(SWITCHBOARD_NUMBER, 'Sales');
		const app = `AP${'7'.repeat(32)}`;
		const trunk = `TK${'8'.repeat(32)}`;
		h.engine.updateNumber(owned.sid, { voiceApplicationSid: app, trunkSid: trunk, smsCapable: false });
		const env = {
			TELEPHONY: 'twilio',
			TWILIO_ACCOUNT_SID: ACCOUNT,
			TWILIO_AUTH_TOKEN: TOKEN,
			TWILIO_API_KEY_SID: h.carrier.tokenKeySid,
			TWILIO_API_KEY_SECRET: TOKEN,
			TWILIO_TWIML_APP_SID: h.carrier.applicationSid,
			TWILIO_API_BASE_URL: base,
			PUBLIC_BASE_URL: 'https://switchboard.example.com',
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-provision-'))
		};
		const refused = await run(['--numbers', SWITCHBOARD_NUMBER], env);
		expect(refused.code).toBe(1);
		expect(refused.out).toContain(`${SWITCHBOARD_NUMBER} has VoiceApplicationSid ${app}`);
		expect(refused.out).toContain(`${SWITCHBOARD_NUMBER} has TrunkSid ${trunk}`);
		expect(refused.out).toContain('--detach');
		expect(h.engine.getNumber(owned.sid)).toMatchObject({ voiceUrl: '', voiceApplicationSid: app, trunkSid: trunk });

		const detached = await run(['--detach', '--numbers', SWITCHBOARD_NUMBER], env);
		expect(detached.code).toBe(0);
		expect(detached.out).toContain(`| ${SWITCHBOARD_NUMBER} | VoiceApplicationSid | ${app} | (cleared) |`);
		expect(detached.out).toContain(`Cannot text: ${SWITCHBOARD_NUMBER} (capabilities.sms is false)`);
		expect(h.engine.getNumber(owned.sid)).toMatchObject({ voiceUrl: 'https://switchboard.example.com/webhooks/twilio/voice', voiceApplicationSid: '', trunkSid: '' });
		const again = await run(['--numbers', SWITCHBOARD_NUMBER], env);
		expect(again.out).toMatch(/^Nothing to change/);
		expect(again.out).toContain('Cannot text:');
	});
});
