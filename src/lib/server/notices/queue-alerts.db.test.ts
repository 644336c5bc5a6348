import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '$lib/roles';
import { LocalBroadcast } from '../adapters/broadcast/local';
import { calls, voiceQueues } from '../db/schema/calls';
import { createTestDb, type TestDb } from '../db/test-db';
import { recordCallEvent } from '../reporting/record-call-event';
import { WallboardFeed } from '../reporting/wallboard-feed';
import { followQueueAlerts, receivesQueueAlerts, type QueueAlertMessage } from './queue-alerts';

let t: TestDb;
let clock = new Date('2026-12-03T10:00:00Z');
beforeAll(async () => {
	t = await createTestDb();
	// A 100% target of calls answered within an hour: a waiting caller alone does not drop it.
	await t.db.insert(voiceQueues).values({ number: '+14155550190', name: 'billing', slTargetSeconds: 3600, slTargetPercent: 100, waitAlertSeconds: 30 });
}, 60_000);
afterAll(() => t.close());

describe('queue alerts on the notices stream', () => {
	it('reach managers, supervisors and admins, replayed while in force, and never agents', async () => {
		expect(receivesQueueAlerts('agent')).toBe(false);
		expect(receivesQueueAlerts(null)).toBe(false);
		const broadcast = new LocalBroadcast();
		const feed = new WallboardFeed({ db: t.db, broadcast, timeZone: 'UTC', pollMs: 60_000, clock: () => clock });
		const roles: Role[] = ['agent', 'manager', 'supervisor', 'admin'];
		const got = new Map<Role, QueueAlertMessage[]>(roles.map((r) => [r, []]));
		const stops = await Promise.all(roles.map((r) => followQueueAlerts(r, feed, (m) => got.get(r)!.push(m))));
		try {
			const [row] = await t.db.insert(calls).values({ callSid: 'CA00000000000000000000000000000190', direction: 'inbound', queue: 'billing', receivedAt: clock }).returning({ id: calls.id });
			await t.db.transaction((tx) => recordCallEvent(tx, { callId: row!.id, type: 'offered', at: clock, queue: 'billing' }));
			clock = new Date('2026-12-03T10:00:45Z');
			await feed.tick();
			await vi.waitFor(() => expect(got.get('admin')).toHaveLength(1));
			for (const r of ['manager', 'supervisor', 'admin'] as const) {
				expect(got.get(r)).toEqual([{ kind: 'alert', alert: expect.objectContaining({ kind: 'long-wait', queue: 'billing', message: 'A caller in billing has waited 45 s, past the 30 s alert.' }) }]);
			}
			expect(got.get('agent')).toEqual([]);

			// A page opened later is told the alert still in force at once; an agent's is not.
			const late: QueueAlertMessage[] = [];
			const lateAgent: QueueAlertMessage[] = [];
			stops.push(await followQueueAlerts('supervisor', feed, (m) => late.push(m)), await followQueueAlerts('agent', feed, (m) => lateAgent.push(m)));
			expect(late.map((m) => m.alert.kind)).toEqual(['long-wait']);
			expect(lateAgent).toEqual([]);
		} finally {
			for (const stop of stops) stop();
			feed.stop();
			await broadcast.close();
		}
	});
});
