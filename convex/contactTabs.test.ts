import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { MAX_TABS } from './contactTabs';
import { as, newConvex, rejectsWith } from './test.setup';

describe('contactTabs', () => {
	it('opens tabs in order and keeps one tab per customer', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann');
		await ann.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme' });
		await ann.mutation(api.contactTabs.open, { customerId: 'c2', label: 'Bolt' });
		const again = await ann.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme' });
		expect(again.order).toBe(0);
		const tabs = await ann.query(api.contactTabs.mine, {});
		expect(tabs.map((tab) => [tab.customerId, tab.order])).toEqual([
			['c1', 0],
			['c2', 1]
		]);
	});

	it('writes nothing when the same tab is opened twice with the same label', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann');
		await ann.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme' });
		const before = await t.run((ctx) => ctx.db.query('user_contact_tabs').collect());
		await ann.mutation(api.contactTabs.open, { customerId: ' c1 ', label: 'Acme' });
		expect(await t.run((ctx) => ctx.db.query('user_contact_tabs').collect())).toEqual(before);
	});

	it('refreshes the label of a tab already open', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann');
		await ann.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme' });
		await ann.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme Corp' });
		expect(await ann.query(api.contactTabs.mine, {})).toEqual([
			expect.objectContaining({ customerId: 'c1', label: 'Acme Corp' })
		]);
	});

	it("keeps each agent's tabs to themselves", async () => {
		const t = newConvex();
		await as(t, 'agent', 'u-ann').mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme' });
		expect(await as(t, 'agent', 'u-bob').query(api.contactTabs.mine, {})).toEqual([]);
		expect(await as(t, 'agent', 'u-bob').mutation(api.contactTabs.close, { customerId: 'c1' })).toBe(false);
		expect(await as(t, 'agent', 'u-ann').query(api.contactTabs.mine, {})).toHaveLength(1);
	});

	it('closes one tab, and new tabs go to the end', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann');
		for (const id of ['c1', 'c2', 'c3']) await ann.mutation(api.contactTabs.open, { customerId: id, label: id });
		expect(await ann.mutation(api.contactTabs.close, { customerId: 'c2' })).toBe(true);
		expect(await ann.mutation(api.contactTabs.close, { customerId: 'c2' })).toBe(false);
		await ann.mutation(api.contactTabs.open, { customerId: 'c4', label: 'c4' });
		expect((await ann.query(api.contactTabs.mine, {})).map((tab) => tab.customerId)).toEqual(['c1', 'c3', 'c4']);
	});

	it('refuses a blank customer id and a tab past the limit, writing nothing', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann');
		await rejectsWith(ann.mutation(api.contactTabs.open, { customerId: '  ', label: 'x' }), 'INVALID_CUSTOMER_ID');
		for (let i = 0; i < MAX_TABS; i++) await ann.mutation(api.contactTabs.open, { customerId: `c${i}`, label: `C ${i}` });
		await rejectsWith(ann.mutation(api.contactTabs.open, { customerId: 'one-more', label: 'x' }), 'TOO_MANY_TABS');
		expect(await t.run((ctx) => ctx.db.query('user_contact_tabs').collect())).toHaveLength(MAX_TABS);
	});
});
