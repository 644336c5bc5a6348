/**
 * The customer records an agent has open as tabs. They live here, not in the browser, so a
 * tab opened on the desk phone's PC shows up on the laptop, and closing it anywhere closes it
 * everywhere.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx, QueryCtx } from './_generated/server';
import { agentMutation, agentQuery } from './lib/functions';
import { fail } from './lib/errors';

/** Enough for any real desk; past this the strip is unusable and something is looping. */
export const MAX_TABS = 25;
const MAX_LABEL = 120;
const MAX_CUSTOMER_ID = 64;

const vTabView = v.object({ customerId: v.string(), label: v.string(), openedAt: v.number(), order: v.number() });

function view(row: Doc<'user_contact_tabs'>) {
	return { customerId: row.customerId, label: row.label, openedAt: row.openedAt, order: row.order };
}

async function tabsOf(ctx: QueryCtx | MutationCtx, userId: string) {
	const rows = await ctx.db
		.query('user_contact_tabs')
		.withIndex('by_userId', (q) => q.eq('userId', userId))
		.collect();
	return rows.sort((a, b) => a.order - b.order || a.openedAt - b.openedAt);
}

function checkCustomerId(customerId: string): string {
	const id = customerId.trim();
	if (id === '' || id.length > MAX_CUSTOMER_ID) {
		fail('BAD_REQUEST', 'INVALID_CUSTOMER_ID', `customerId must be 1 to ${MAX_CUSTOMER_ID} characters.`);
	}
	return id;
}

export const mine = agentQuery({
	args: {},
	returns: v.array(vTabView),
	handler: async (ctx) => (await tabsOf(ctx, ctx.caller.userId)).map(view)
});

/** Open a customer's tab, or keep the one already open (refreshing its label). Returns the tab. */
export const open = agentMutation({
	args: { customerId: v.string(), label: v.string() },
	returns: vTabView,
	handler: async (ctx, args) => {
		const customerId = checkCustomerId(args.customerId);
		const label = args.label.trim().slice(0, MAX_LABEL) || customerId;
		const tabs = await tabsOf(ctx, ctx.caller.userId);
		const existing = tabs.find((t) => t.customerId === customerId);
		if (existing) {
			if (existing.label === label) return view(existing);
			await ctx.db.patch('user_contact_tabs', existing._id, { label });
			return view({ ...existing, label });
		}
		if (tabs.length >= MAX_TABS) {
			fail('CONFLICT', 'TOO_MANY_TABS', `You have ${MAX_TABS} customer tabs open; close one to open another.`);
		}
		const row = {
			userId: ctx.caller.userId,
			customerId,
			label,
			openedAt: Date.now(),
			order: (tabs.at(-1)?.order ?? -1) + 1
		};
		await ctx.db.insert('user_contact_tabs', row);
		return view(row as Doc<'user_contact_tabs'>);
	}
});

/** Close the caller's tab for a customer. Closing a tab that is not open is not an error. */
export const close = agentMutation({
	args: { customerId: v.string() },
	returns: v.boolean(),
	handler: async (ctx, { customerId }) => {
		const tabs = await tabsOf(ctx, ctx.caller.userId);
		const matches = tabs.filter((t) => t.customerId === customerId.trim());
		for (const tab of matches) await ctx.db.delete('user_contact_tabs', tab._id);
		return matches.length > 0;
	}
});
