import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import { lookupCustomerByPhone } from './lookup-customer-by-phone';
import { makeCustomer } from './test-factories';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

describe('lookupCustomerByPhone', () => {
	let ada: Awaited<ReturnType<typeof makeCustomer>>;
	beforeAll(async () => {
		ada = await makeCustomer(t.db, {
			firstName: 'Ada',
			lastName: 'Lovelace',
			phones: [
				{ number: '(415) 555-0100', label: 'mobile' },
				{ number: '+44 20 7946 0958', label: 'work' }
			]
		});
	});

	it.each([
		'(415) 555-0100',
		'415.555.0100',
		'415-555-0100',
		'4155550100',
		'14155550100',
		'1 (415) 555-0100',
		'+1 415 555 0100',
		'+14155550100',
		'  +1-415-555-0100  ',
		'415 555 0100 ext. 9'
	])('finds the customer from %j', async (phone) => {
		const found = await lookupCustomerByPhone(t.db, { phone });
		expect(found?.customer.id).toBe(ada.id);
		expect(found?.phone).toMatchObject({ e164: '+14155550100', label: 'mobile', isPrimary: true, display: '(415) 555-0100' });
		expect(found?.matchCount).toBe(1);
	});

	it.each(['+44 20 7946 0958', '00 44 20 7946 0958', '011 44 20 7946 0958', '+44 (0)20 7946 0958'])(
		'finds an international number from %j',
		async (phone) => {
			const found = await lookupCustomerByPhone(t.db, { phone });
			expect(found?.customer.displayName).toBe('Ada Lovelace');
			expect(found?.phone).toMatchObject({ e164: '+442079460958', label: 'work', display: '+44 20 7946 0958' });
		}
	);

	it('returns null for a valid number nobody has', async () => {
		expect(await lookupCustomerByPhone(t.db, { phone: '(415) 555-0199' })).toBeNull();
	});

	it('rejects a malformed number with INVALID_PHONE', async () => {
		const error = await lookupCustomerByPhone(t.db, { phone: '12' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AppError);
		expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_PHONE' });
		expect((error as Error).message).toMatch(/'12' is too short for a phone number; enter it with area code/);
	});

	it('prefers a customer over a lead sharing the number, and counts both', async () => {
		const lead = await makeCustomer(t.db, { kind: 'lead', phones: [{ number: '212 555 0142' }] });
		const customer = await makeCustomer(t.db, { kind: 'customer', phones: [{ number: '212 555 0142' }] });
		const found = await lookupCustomerByPhone(t.db, { phone: '+1 212-555-0142' });
		expect(found?.customer.id).toBe(customer.id);
		expect(found?.customer.id).not.toBe(lead.id);
		expect(found?.matchCount).toBe(2);
	});
});
