import { describe, expect, it } from 'vitest';
import { applyStartDefaults } from './start-env.js';

describe('npm start defaults', () => {
	it('binds local mode to loopback outside production', () => {
		expect(applyStartDefaults({})).toEqual({
			PORT: '3000',
			PUBLIC_BASE_URL: 'http://localhost:3000',
			ORIGIN: 'http://localhost:3000',
			BODY_SIZE_LIMIT: '8M',
			HOST: '127.0.0.1',
			NODE_ENV: 'development'
		});
		expect(applyStartDefaults({ TELEPHONY: 'local', PORT: '4173' })).toMatchObject({ HOST: '127.0.0.1', PUBLIC_BASE_URL: 'http://localhost:4173' });
	});

	it('keeps an explicit HOST, NODE_ENV and BODY_SIZE_LIMIT', () => {
		expect(applyStartDefaults({ HOST: '0.0.0.0', NODE_ENV: 'production', BODY_SIZE_LIMIT: '20M' })).toMatchObject({
			HOST: '0.0.0.0',
			NODE_ENV: 'production',
			BODY_SIZE_LIMIT: '20M'
		});
	});

	it('leaves the interface alone with real telephony, which runs in production', () => {
		const env = applyStartDefaults({ TELEPHONY: 'twilio', PUBLIC_BASE_URL: 'https://calls.example.com' });
		expect(env.HOST).toBeUndefined();
		expect(env).toMatchObject({ NODE_ENV: 'production', ORIGIN: 'https://calls.example.com' });
	});
});
