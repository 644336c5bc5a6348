import { describe, expect, it } from 'vitest';
import { carrierAuthorization, isCarrierAccount } from './carrier-client';

const account = { accountSid: `AC${'9'.repeat(32)}`, authToken: 'token:with:colons' };

describe('isCarrierAccount', () => {
	it("accepts exactly the carrier's account SID and auth token", () => {
		expect(isCarrierAccount(carrierAuthorization(account), account)).toBe(true);
		expect(isCarrierAccount(carrierAuthorization({ ...account, authToken: 'token' }), account)).toBe(false);
		expect(isCarrierAccount(carrierAuthorization({ ...account, accountSid: `AC${'8'.repeat(32)}` }), account)).toBe(false);
	});

	it('refuses no header, another scheme, garbage, and any header when there is no local carrier', () => {
		expect(isCarrierAccount(null, account)).toBe(false);
		expect(isCarrierAccount(`Bearer ${account.authToken}`, account)).toBe(false);
		expect(isCarrierAccount('Basic !!!', account)).toBe(false);
		expect(isCarrierAccount(`Basic ${Buffer.from('no-colon').toString('base64')}`, account)).toBe(false);
		expect(isCarrierAccount(carrierAuthorization(account), null)).toBe(false);
	});
});
