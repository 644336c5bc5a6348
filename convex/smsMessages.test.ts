import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { RECENT_PER_THREAD } from './smsMessages';
import { as, newConvex, rejectsWith } from './test.setup';

const threadKey = '+14155550123|+14155550000';
const msg = (i: number, patch: Record<string, unknown> = {}) => ({
	archiveId: `a-${String(i).padStart(3, '0')}`,
	direction: 'inbound' as const,
	from: '+14155550123',
	to: '+14155550000',
	body: `message ${i}`,
	state: 'received' as const,
	sentAt: 1_000 + i,
	...patch
});

describe('smsMessages', () => {
	it('keeps the newest messages of a thread, oldest first, and updates by archive id', async () => {
		const t = newConvex();
		const server = as(t, 'system');
		await server.mutation(api.smsMessages.upsertRecent, { threadKey, messages: Array.from({ length: 12 }, (_, i) => msg(i)) });
		const agent = as(t, 'agent');
		const rows = await agent.query(api.smsMessages.forThread, { threadKey });
		expect(rows.map((r) => r.body)).toEqual(Array.from({ length: RECENT_PER_THREAD }, (_, i) => `message ${i + 2}`));
		await server.mutation(api.smsMessages.upsertRecent, {
			threadKey,
			messages: [
				msg(20, { direction: 'outbound', state: 'queued', from: '+14155550000', to: '+14155550123', body: '<script>x</script>' })
			]
		});
		await server.mutation(api.smsMessages.upsertRecent, {
			threadKey,
			messages: [
				msg(20, {
					direction: 'outbound',
					state: 'delivered',
					from: '+14155550000',
					to: '+14155550123',
					body: '<script>x</script>',
					messageSid: 'SM1'
				})
			]
		});
		// A late "sent" does not undo "delivered".
		await server.mutation(api.smsMessages.upsertRecent, {
			threadKey,
			messages: [
				msg(20, {
					direction: 'outbound',
					state: 'sent',
					from: '+14155550000',
					to: '+14155550123',
					body: '<script>x</script>',
					messageSid: 'SM1'
				})
			]
		});
		const after = await agent.query(api.smsMessages.forThread, { threadKey });
		expect(after).toHaveLength(RECENT_PER_THREAD);
		expect(after.at(-1)).toMatchObject({ archiveId: 'a-020', state: 'delivered', messageSid: 'SM1', body: '<script>x</script>' });
	});

	it('is written only by the server and read only by staff', async () => {
		const t = newConvex();
		await rejectsWith(as(t, 'agent').mutation(api.smsMessages.upsertRecent, { threadKey, messages: [msg(1)] }), 'FORBIDDEN');
		await rejectsWith(t.query(api.smsMessages.forThread, { threadKey }), 'UNAUTHENTICATED');
		await rejectsWith(as(t, 'agent').query(api.smsMessages.forThread, { threadKey: 'x' }), 'INVALID_THREAD_KEY');
	});
});
