import { describe, expect, it } from 'vitest';
import { ConfigError, describeAdapters, parseConfig } from './env';

describe('parseConfig', () => {
	it('defaults every port to its local twin and the archive to PGlite', () => {
		const config = parseConfig({});
		expect(describeAdapters(config)).toBe(
			'database=pglite telephony=local storage=local speech=local language_ai=local broadcast=local live=local'
		);
		expect(config.database).toEqual({ driver: 'pglite', dir: './data/pglite' });
		expect(config.publicBaseUrl).toBe('http://localhost:3000');
		expect(config.demoData).toBe(true);
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
				's3 is selected but S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are not set'
			]);
			expect((error as Error).message).toContain('.env.example');
		}
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
		const behindProxy = { NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://calls.example.com', AUTH_SECRET: 'x'.repeat(32) };
		expect(() => parseConfig(behindProxy)).toThrow(/set ADDRESS_HEADER/);
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '2' })).not.toThrow();
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-real-ip' })).not.toThrow();
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-real-ip', XFF_DEPTH: '1' })).toThrow(/XFF_DEPTH applies only with ADDRESS_HEADER=x-forwarded-for/);
		expect(() => parseConfig({ ...behindProxy, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '0' })).toThrow(/XFF_DEPTH/);
		// Local production runs (npm start, the e2e build) serve http:// themselves.
		expect(() => parseConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'http://localhost:3000' })).not.toThrow();
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
