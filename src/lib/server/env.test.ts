import { describe, expect, it } from 'vitest';
import { supportedTranscribeModels } from './adapters/speech/models';
import { ConfigError, describeAdapters, parseConfig } from './env';

/** Real telephony behind a proxy, as a production deployment runs. */
const twilio = {
	TELEPHONY: 'twilio',
	TWILIO_ACCOUNT_SID: `AC${'b'.repeat(32)}`,
	TWILIO_AUTH_TOKEN: 't',
	TWILIO_API_KEY_SID: 'SK1',
	TWILIO_API_KEY_SECRET: 's',
	TWILIO_TWIML_APP_SID: 'AP1',
	PUBLIC_BASE_URL: 'https://calls.example.com',
	ADDRESS_HEADER: 'x-real-ip'
};

describe('parseConfig', () => {
	it('defaults every port to its local twin and the archive to PGlite', () => {
		const config = parseConfig({});
		expect(describeAdapters(config)).toBe(
			'database=pglite telephony=local storage=local speech=local language_ai=local broadcast=local live=local'
		);
		expect(config.database).toEqual({ driver: 'pglite', dir: './data/pglite' });
		expect(config.publicBaseUrl).toBe('http://localhost:3000');
		expect(config.demoData).toBe(true);
		expect(config.declineSetsAgent).toBe('available');
	});

	it('takes DECLINE_SETS_AGENT as available or away, and nothing else', () => {
		expect(parseConfig({ DECLINE_SETS_AGENT: 'away' }).declineSetsAgent).toBe('away');
		expect(() => parseConfig({ DECLINE_SETS_AGENT: 'offline' })).toThrow(/DECLINE_SETS_AGENT must be available or away/);
	});

	it('takes LIVE_TRANSCRIPTION as off (the default), final or partial, and nothing else', () => {
		expect(parseConfig({}).liveTranscription).toBe('off');
		expect(parseConfig({ LIVE_TRANSCRIPTION: 'partial' }).liveTranscription).toBe('partial');
		expect(() => parseConfig({ LIVE_TRANSCRIPTION: 'on' })).toThrow(/LIVE_TRANSCRIPTION must be off, final or partial/);
	});

	it('deletes carrier copies of recordings and MMS media by default; DELETE_CARRIER_COPIES=false keeps them', () => {
		expect(parseConfig({}).deleteCarrierCopies).toBe(true);
		expect(parseConfig({ DELETE_CARRIER_COPIES: 'false' }).deleteCarrierCopies).toBe(false);
		expect(parseConfig({ DELETE_CARRIER_COPIES: 'true' }).deleteCarrierCopies).toBe(true);
	});

	it('uses postgres-js when DATABASE_URL is set', () => {
		const config = parseConfig({ DATABASE_URL: 'postgres://u@db:5432/app' });
		expect(config.database).toEqual({ driver: 'postgres', url: 'postgres://u@db:5432/app' });
	});

	it('names every missing variable when a real adapter is chosen without credentials', () => {
		const attempt = () => parseConfig({ TELEPHONY: 'twilio', STORAGE: 's3', TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}` });
		expect(attempt).toThrow(ConfigError);
		try {
			attempt();
		} catch (error) {
			const problems = (error as ConfigError).problems;
			expect(problems).toEqual([
				'twilio is selected but TWILIO_AUTH_TOKEN, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET, TWILIO_TWIML_APP_SID, PUBLIC_BASE_URL are not set',
				's3 is selected but S3_BUCKET, S3_REGION are not set'
			]);
			expect((error as Error).message).toContain('.env.example');
		}
	});

	it('lets S3 use the AWS default credential chain without keys, but refuses half a key pair', () => {
		const base = { STORAGE: 's3', S3_BUCKET: 'calls', S3_REGION: 'eu-west-1' };
		expect(parseConfig(base).storage).toEqual({
			adapter: 's3',
			bucket: 'calls',
			region: 'eu-west-1',
			accessKeyId: undefined,
			secretAccessKey: undefined,
			endpoint: undefined,
			sseKmsKeyId: undefined
		});
		expect(() => parseConfig({ ...base, S3_ACCESS_KEY_ID: 'AKIA' })).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together/);
		expect(parseConfig({ ...base, S3_SSE_KMS_KEY_ID: 'alias/calls' }).storage).toMatchObject({ sseKmsKeyId: 'alias/calls' });
	});

	it('defaults Gemini to a current Flash model and refuses a retired or unknown one, listing the supported', () => {
		const gemini = { LANGUAGE_AI: 'gemini', GEMINI_API_KEY: 'g' };
		expect(parseConfig(gemini).languageAi).toMatchObject({ model: 'gemini-3.8-flash' });
		expect(() => parseConfig({ ...gemini, GEMINI_MODEL: 'gemini-2.5-flash' })).toThrow(/GEMINI_MODEL "gemini-2.5-flash" is not supported.*gemini-3.8-flash, /);
		expect(() => parseConfig({ ...gemini, GEMINI_MODEL: 'gemini-flash-latest-typo' })).toThrow(/use one of/);
		expect(parseConfig({ ...gemini, GEMINI_MODEL: 'gemini-3.5-flash-lite' }).languageAi).toMatchObject({ model: 'gemini-3.5-flash-lite' });
	});

	it('defaults speech to gpt-transcribe and refuses an unknown or retired model, listing the supported', () => {
		const openai = { SPEECH: 'openai', OPENAI_API_KEY: 'sk' };
		expect(parseConfig(openai).speech).toMatchObject({ model: 'gpt-transcribe' });
		expect(parseConfig({ ...openai, OPENAI_TRANSCRIBE_MODEL: 'whisper-1' }).speech).toMatchObject({ model: 'whisper-1' });
		expect(() => parseConfig({ ...openai, OPENAI_TRANSCRIBE_MODEL: 'whisper-2' })).toThrow(/OPENAI_TRANSCRIBE_MODEL "whisper-2" is not supported.*use one of gpt-transcribe, /);
		expect(() => parseConfig({ ...openai, OPENAI_TRANSCRIBE_MODEL: 'gpt-4o-transcribe-diarize' })).toThrow(/not supported/);
		expect(supportedTranscribeModels(new Date('2027-02-26T00:00:00Z'))).toEqual(['gpt-transcribe']);
	});

	it('rejects an unknown adapter name and a malformed value with a message that says what to fix', () => {
		expect(() => parseConfig({ LIVE: 'firebase' })).toThrow(/LIVE/);
		expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres/);
		expect(() => parseConfig({ TELEPHONY: 'twilio', TWILIO_ACCOUNT_SID: 'nope' })).toThrow(/AC followed by 32 hex/);
	});

	it('treats blank variables as unset and demo data as off with real telephony', () => {
		const config = parseConfig({
			TELEPHONY: 'twilio',
			TWILIO_ACCOUNT_SID: `AC${'b'.repeat(32)}`,
			TWILIO_AUTH_TOKEN: 't',
			TWILIO_API_KEY_SID: 'SK1',
			TWILIO_API_KEY_SECRET: 's',
			TWILIO_TWIML_APP_SID: 'AP1',
			PUBLIC_BASE_URL: 'https://calls.example.com/',
			S3_BUCKET: '  '
		});
		expect(config.demoData).toBe(false);
		expect(config.publicBaseUrl).toBe('https://calls.example.com');
		expect(config.storage).toEqual({ adapter: 'local' });
	});

	it('refuses to start in production behind an https:// URL without ADDRESS_HEADER, and XFF_DEPTH without X-Forwarded-For', () => {
		const behindProxy = { ...twilio, ADDRESS_HEADER: undefined, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://calls.example.com', AUTH_SECRET: 'x'.repeat(32) };
		expect(() => parseConfig(behindProxy)).toThrow(/set ADDRESS_HEADER/);
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '2' })).not.toThrow();
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-real-ip' })).not.toThrow();
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-real-ip', XFF_DEPTH: '1' })).toThrow(/XFF_DEPTH applies only with ADDRESS_HEADER=x-forwarded-for/);
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '0' })).toThrow(/XFF_DEPTH/);
		// Local production runs (npm start, the e2e build) serve http:// themselves.
		expect(() => parseConfig({ ...twilio, NODE_ENV: 'production', PUBLIC_BASE_URL: 'http://localhost:3000', AUTH_SECRET: 'x'.repeat(32) })).not.toThrow();
	});

	it('reads SMS throughput per sender type and per number, refusing nonsense with the variable named', () => {
		expect(parseConfig({}).smsRates).toEqual({ longCode: 1, tollFree: 3, overrides: {} });
		const config = parseConfig({ SMS_RATE_LONG_CODE: '0.5', SMS_RATE_OVERRIDES: '+14155550100=2, +18005550100=30' });
		expect(config.smsRates).toEqual({ longCode: 0.5, tollFree: 3, overrides: { '+14155550100': 2, '+18005550100': 30 } });
		expect(() => parseConfig({ SMS_RATE_TOLL_FREE: '0' })).toThrow(/SMS_RATE_TOLL_FREE must be more than 0/);
		expect(() => parseConfig({ SMS_RATE_LONG_CODE: 'fast' })).toThrow(/SMS_RATE_LONG_CODE must be a number/);
		expect(() => parseConfig({ SMS_RATE_OVERRIDES: '4155550100=2' })).toThrow(/"4155550100=2" must be an E.164 number/);
		expect(() => parseConfig({ SMS_RATE_OVERRIDES: '+14155550100=-1' })).toThrow(/rate for \+14155550100 must be/);
	});
});

describe('local mode and production exposure', () => {
	const secret = 'x'.repeat(32);

	it('runs local mode on loopback addresses outside production', () => {
		for (const url of ['http://localhost:3000', 'http://127.0.0.1:4173', 'http://[::1]:3000', 'http://switchboard.localhost']) {
			expect(parseConfig({ PUBLIC_BASE_URL: url }).telephony.adapter).toBe('local');
		}
	});

	it('refuses the local carrier on a public URL or in production, naming the fix', () => {
		expect(() => parseConfig({ PUBLIC_BASE_URL: 'https://calls.example.com' })).toThrow(
			/TELEPHONY=local \(the default\) but PUBLIC_BASE_URL https:\/\/calls\.example\.com is not a loopback address.*I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC=true/
		);
		expect(() => parseConfig({ PUBLIC_BASE_URL: 'http://10.0.0.5:3000' })).toThrow(/not a loopback address/);
		expect(() => parseConfig({ NODE_ENV: 'production', AUTH_SECRET: secret })).toThrow(/TELEPHONY=local \(the default\) but NODE_ENV is production/);
	});

	it('refuses the local carrier listening on every interface behind a loopback PUBLIC_BASE_URL (HOST=0.0.0.0)', () => {
		for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
			expect(() => parseConfig({ HOST: host })).toThrow(new RegExp(`TELEPHONY=local \\(the default\\) but HOST ${host.replace(/\./g, '\\.')} listens beyond this machine.*I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC=true`));
		}
		for (const host of ['127.0.0.1', 'localhost', '::1']) expect(parseConfig({ HOST: host }).telephony.adapter).toBe('local');
		expect(parseConfig({ HOST: '0.0.0.0', I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true' }).telephony.adapter).toBe('local');
	});

	it('starts local mode in public only with the loudly named setting, demo data then still refused in production', () => {
		const allowed = parseConfig({ PUBLIC_BASE_URL: 'https://demo.example.com', I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true' });
		expect(allowed.telephony.adapter).toBe('local');
		const production = parseConfig({ NODE_ENV: 'production', AUTH_SECRET: secret, I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true' });
		expect(production.demoData).toBe(false);
		expect(() => parseConfig({ NODE_ENV: 'production', AUTH_SECRET: secret, I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true', DEMO_DATA: 'true' })).toThrow(
			/DEMO_DATA=true is refused in production/
		);
	});

	it('refuses demo data in production and on a public URL with real telephony', () => {
		expect(() => parseConfig({ ...twilio, NODE_ENV: 'production', AUTH_SECRET: secret, DEMO_DATA: 'true' })).toThrow(/DEMO_DATA=true is refused in production/);
		expect(() => parseConfig({ ...twilio, DEMO_DATA: 'true' })).toThrow(/DEMO_DATA is on but PUBLIC_BASE_URL https:\/\/calls\.example\.com is not a loopback/);
		expect(parseConfig({ ...twilio, NODE_ENV: 'production', AUTH_SECRET: secret }).demoData).toBe(false);
	});

	it('refuses production without AUTH_SECRET or with a weak one', () => {
		expect(() => parseConfig({ ...twilio, NODE_ENV: 'production' })).toThrow(/AUTH_SECRET is required in production/);
		expect(() => parseConfig({ ...twilio, NODE_ENV: 'production', AUTH_SECRET: 'short-secret' })).toThrow(/AUTH_SECRET must be at least 32 characters/);
		expect(parseConfig({ ...twilio, NODE_ENV: 'production', AUTH_SECRET: secret }).authSecret).toBe(secret);
	});
});

describe('the first admin from the environment', () => {
	it('takes ADMIN_EMAIL and ADMIN_PASSWORD together, refusing a short password or half the pair', () => {
		expect(parseConfig({}).bootstrapAdmin).toBeUndefined();
		expect(parseConfig({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'twelve chars', ADMIN_NAME: 'Pat' }).bootstrapAdmin).toEqual({
			email: 'owner@example.com',
			password: 'twelve chars',
			name: 'Pat'
		});
		expect(() => parseConfig({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'eleven char' })).toThrow(/ADMIN_PASSWORD must be at least 12 characters/);
		expect(() => parseConfig({ ADMIN_EMAIL: 'owner@example.com' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD go together/);
		expect(() => parseConfig({ ADMIN_PASSWORD: 'a long enough password' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD go together/);
		expect(() => parseConfig({ ADMIN_EMAIL: 'owner', ADMIN_PASSWORD: 'a long enough password' })).toThrow(/ADMIN_EMAIL must be an email address/);
	});

	it('never puts the password in the error', () => {
		expect(() => parseConfig({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'short-pw' })).toThrow(
			expect.objectContaining({ message: expect.not.stringContaining('short-pw') as string }) as Error
		);
	});
});
