import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries } from '../db/schema/webhooks';
import { createTestDb, type TestDb } from '../db/test-db';
import { recordDeliveryOnce } from './delivery-ledger';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

describe('recordDeliveryOnce', () => {
	it('is true once per key, false for a replay, and rolls back with its transaction', async () => {
		expect(await t.db.transaction((tx) => recordDeliveryOnce(tx, 'token:one', 'voice.status'))).toBe(true);
		expect(await t.db.transaction((tx) => recordDeliveryOnce(tx, 'token:one', 'voice.status'))).toBe(false);

		await expect(
			t.db.transaction(async (tx) => {
				await recordDeliveryOnce(tx, 'token:two', 'voice.status');
				throw new Error('domain write failed');
			})
		).rejects.toThrow('domain write failed');
		expect(await t.db.transaction((tx) => recordDeliveryOnce(tx, 'token:two', 'voice.status'))).toBe(true);

		const results = await Promise.all(Array.from({ length: 10 }, () => t.db.transaction((tx) => recordDeliveryOnce(tx, 'token:race', 'x'))));
		expect(results.filter(Boolean)).toHaveLength(1);
		const [row] = await t.db.select({ n: count() }).from(webhookDeliveries);
		expect(row?.n).toBe(3);
	});
});
