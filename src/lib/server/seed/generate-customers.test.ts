import { isValidPhoneNumber } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { AREA_CODES } from './demo-names';
import { demoCustomer, demoUkNumber, demoUsNumber } from './generate-customers';

describe('generated phone numbers', () => {
	it('are valid E.164 for every area code, both in and past the fiction block', () => {
		for (let slot = 0; slot < AREA_CODES.length * 100; slot++) expect(isValidPhoneNumber(demoUsNumber(slot))).toBe(true);
		for (let slot = 0; slot < 1_000_000; slot += 997) expect(isValidPhoneNumber(demoUsNumber(slot))).toBe(true);
		for (let n = 0; n < 3000; n++) expect(isValidPhoneNumber(demoUkNumber(n))).toBe(true);
	});

	it('start in 555-0100..0199 and never repeat across 300,000 customers', () => {
		expect(demoUsNumber(0)).toMatch(/^\+1\d{3}5550100$/);
		expect(demoUsNumber(AREA_CODES.length * 100 - 1)).toMatch(/^\+1\d{3}5550199$/);
		const seen = new Set<string>();
		for (let slot = 0; slot < 900_000; slot++) seen.add(demoUsNumber(slot));
		expect(seen.size).toBe(900_000);
		expect(new Set(Array.from({ length: 3000 }, (_, n) => demoUkNumber(n))).size).toBe(3000);
	});
});

describe('demoCustomer', () => {
	it('gives the same person for the same seed and index', () => {
		const strip = (c: ReturnType<typeof demoCustomer>) => ({
			customer: { ...c.customer, id: undefined },
			phones: c.phones.map((p) => ({ ...p, customerId: undefined }))
		});
		expect(strip(demoCustomer(7, 123))).toEqual(strip(demoCustomer(7, 123)));
		expect(strip(demoCustomer(7, 123))).not.toEqual(strip(demoCustomer(8, 123)));
	});

	it('makes plausible records: a name, 1 to 3 numbers, one primary, leads with a status', () => {
		for (let i = 0; i < 500; i++) {
			const { customer, phones } = demoCustomer(1, i, ['owner-1']);
			expect(customer.firstName).toBeTruthy();
			expect(customer.lastName).toBeTruthy();
			expect(phones.length).toBeGreaterThanOrEqual(1);
			expect(phones.length).toBeLessThanOrEqual(3);
			expect(phones.filter((p) => p.isPrimary)).toHaveLength(1);
			expect(customer.status === null).toBe(customer.kind === 'customer');
			if (customer.email) expect(customer.email).toMatch(/^[a-z]+\.[a-z]+@([a-z0-9]+\.example|example\.(com|net|org))$/);
			expect([null, 'owner-1']).toContain(customer.ownerId);
		}
	});
});
