import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../env';
import { createAdapters } from './index';
import { startFakeHttpServer, type FakeHttpServer } from './test-http-server';

/** Answers the start-up HeadBucket: 200 for bucket "b", 403 for any other. */
let s3: FakeHttpServer;
beforeAll(async () => {
	s3 = await startFakeHttpServer((req, res) => void res.writeHead(req.path.startsWith('/b/') || req.path === '/b' ? 200 : 403).end());
});
afterAll(() => s3.close());

const local = (extra: Record<string, string> = {}): Config => ({
	...parseConfig({ DATA_DIR: '/tmp/sb-adapters-test', ...extra }),
	authSecret: 'x'.repeat(32),
	telephony: { adapter: 'local', accountSid: `AC${'a'.repeat(32)}`, authToken: 'local-token' }
});

const realConfig = (extra: Record<string, string> = {}) =>
	parseConfig({
		PUBLIC_BASE_URL: 'https://calls.example.com',
		TELEPHONY: 'twilio',
		TWILIO_ACCOUNT_SID: `AC${'b'.repeat(32)}`,
		TWILIO_AUTH_TOKEN: 't',
		TWILIO_API_KEY_SID: `SK${'c'.repeat(32)}`,
		TWILIO_API_KEY_SECRET: 's',
		TWILIO_TWIML_APP_SID: `AP${'d'.repeat(32)}`,
		STORAGE: 's3',
		S3_BUCKET: 'b',
		S3_REGION: 'eu-west-1',
		S3_ACCESS_KEY_ID: 'AKIA',
		S3_SECRET_ACCESS_KEY: 's',
		SPEECH: 'openai',
		OPENAI_API_KEY: 'sk',
		LANGUAGE_AI: 'gemini',
		GEMINI_API_KEY: 'g',
		BROADCAST: 'ably',
		ABLY_API_KEY: 'app.key:secret',
		S3_ENDPOINT: s3.url,
		...extra
	});

describe('createAdapters', () => {
	it('picks every local twin by default', async () => {
		const adapters = await createAdapters(local());
		expect([adapters.telephony.kind, adapters.storage.kind, adapters.speech.kind, adapters.languageAi.kind, adapters.broadcast.kind]).toEqual([
			'local',
			'local',
			'local',
			'local',
			'local'
		]);
		expect(adapters.telephony.accountSid).toBe(`AC${'a'.repeat(32)}`);
		expect(await adapters.storage.signedUrl('a/b.wav', { expiresInSeconds: 60 })).toMatch(/^http:\/\/localhost:3000\/files\/a\/b\.wav\?exp=\d+&sig=/);
		await adapters.close();
	});

	it('picks every real adapter when configured', async () => {
		const config = realConfig();
		const adapters = await createAdapters(config);
		expect([adapters.telephony.kind, adapters.storage.kind, adapters.speech.kind, adapters.languageAi.kind, adapters.broadcast.kind]).toEqual([
			'twilio',
			's3',
			'openai',
			'gemini',
			'ably'
		]);
		await adapters.close();
	});

	it('refuses to start when the S3 settings cannot reach the bucket, saying what to fix', async () => {
		await expect(createAdapters(realConfig({ S3_BUCKET: 'other' }))).rejects.toThrow(/S3 bucket "other".*refused these credentials/);
	});

	it('says what to do when local secrets were not resolved', async () => {
		const config = parseConfig({});
		await expect(createAdapters(config)).rejects.toThrow(/resolveLocalSecrets/);
	});
});
