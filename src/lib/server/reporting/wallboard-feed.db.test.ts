import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalBroadcast } from '../adapters/broadcast/local';
import { createTestDb, type TestDb } from '../db/test-db';
import { calls, voiceQueues } from '../db/schema/calls';
import type { SupervisorAlert, WallboardSnapshot } from '../../reporting/wallboard-types';
import { recordCallEvent } from './record-call-event';
import { ALERT_COOLDOWN_MS, WallboardFeed } from './wallboard-feed';

let t: TestDb;
let clock = new Date('2026-12-01T10:00:00Z');
beforeAll(async () => {
	t = await createTestDb();
	await t.db.insert(voiceQueues).values({ number: '+14155550100', name: 'sales', slTargetSeconds: 20, slTargetPercent: 80, waitAlertSeconds: 60 });
}, 60_000);
afterAll(() => t.close());

async function offer(sid: string, at: Date): Promise<string> {
	const [row] = await t.db.insert(calls).values({ callSid: sid, direction: 'inbound', queue: 'sales', receivedAt: at }).returning({ id: calls.id });
	await t.db.transaction((tx) => recordCallEvent(tx, { callId: row!.id, type: 'offered', at, queue: 'sales' }));
	return row!.id;
}

describe('WallboardFeed', () => {
	it('fans one computation out to every wallboard, and alerts on a long wait and on service level under target', async () => {
		const broadcast = new LocalBroadcast();
		const feed = new WallboardFeed({ db: t.db, broadcast, timeZone: 'UTC', pollMs: 60_000, clock: () => clock });
		const screens = Array.from({ length: 3 }, () => ({ snapshots: [] as WallboardSnapshot[], alerts: [] as SupervisorAlert[] }));
		const stops = await Promise.all(screens.map((s) => feed.watch((x) => s.snapshots.push(x), (a) => s.alerts.push(a))));
		try {
			const id = await offer('CA00000000000000000000000000000001', new Date('2026-12-01T09:59:30Z'));
			await feed.tick();
			await vi.waitFor(() => expect(screens.every((s) => s.snapshots.at(-1)?.queues[0]?.waiting === 1)).toBe(true));
			expect(screens[0]!.snapshots.at(-1)!.queues[0]).toMatchObject({ queue: 'sales', waiting: 1, longestWaitSince: '2026-12-01T09:59:30.000Z' });
			// Offered and not answered within T: today's service level is 0%, under the 80% target.
			await vi.waitFor(() => expect(screens.every((s) => s.alerts.map((a) => a.kind).join() === 'service-level')).toBe(true));

			// 70 s waiting, past the 60 s alert: one alert, not one per turn.
			clock = new Date('2026-12-01T10:00:40Z');
			await feed.tick();
			await feed.tick();
			await vi.waitFor(() => expect(screens.every((s) => s.alerts.length === 2)).toBe(true));
			expect(screens[1]!.alerts[1]).toMatchObject({ kind: 'long-wait', queue: 'sales' });

			// Answered after 75 s: still under target, so no second service-level alert; a new call in target lifts it to 50%, still under.
			await t.db.transaction((tx) => recordCallEvent(tx, { callId: id, type: 'answered', at: clock, agentId: 'alice', seconds: 75 }));
			await feed.tick();
			await vi.waitFor(() => expect(screens[2]!.snapshots.at(-1)!.queues[0]).toMatchObject({ waiting: 0, today: { offered: 1, answered: 1, serviceLevel: 0 } }));
			expect(screens.map((s) => s.alerts.length)).toEqual([2, 2, 2]);
		} finally {
			for (const stop of stops) stop();
			feed.stop();
			await broadcast.close();
		}
	});

	it('does not storm: a queue hovering at its target alerts again only after the cooldown; alerts-only watchers get them too', async () => {
		await t.db.insert(voiceQueues).values({ number: '+14155550101', name: 'hover', slTargetSeconds: 20, slTargetPercent: 50, waitAlertSeconds: 600 });
		const broadcast = new LocalBroadcast();
		let now = new Date('2026-12-02T09:00:00Z');
		const feed = new WallboardFeed({ db: t.db, broadcast, timeZone: 'UTC', pollMs: 60_000, clock: () => now });
		const alerts: SupervisorAlert[] = [];
		const stop = await feed.watch(null, (a) => alerts.push(a));
		const call = async (sid: string, wait: number) => {
			const [row] = await t.db.insert(calls).values({ callSid: sid, direction: 'inbound', queue: 'hover', receivedAt: now }).returning({ id: calls.id });
			await t.db.transaction(async (tx) => {
				await recordCallEvent(tx, { callId: row!.id, type: 'offered', at: now, queue: 'hover' });
				await recordCallEvent(tx, { callId: row!.id, type: 'answered', at: now, agentId: 'alice', seconds: wait });
			});
			await feed.tick();
		};
		const hover = () => alerts.filter((a) => a.queue === 'hover');
		try {
			await call('CAhover1', 30); // 0% < 50%: alert
			await vi.waitFor(() => expect(hover()).toHaveLength(1));
			expect(feed.activeAlerts().map((a) => a.id)).toContain(hover()[0]!.id);
			now = new Date(now.getTime() + 60_000);
			await call('CAhover2', 5); // 50%: back at target
			expect(feed.activeAlerts().filter((a) => a.queue === 'hover')).toEqual([]);
			now = new Date(now.getTime() + 60_000);
			await call('CAhover3', 30); // 33%: under again within the cooldown: no second alert
			now = new Date(now.getTime() + 60_000);
			await call('CAhover4', 5); // 50%
			now = new Date(now.getTime() + ALERT_COOLDOWN_MS);
			await call('CAhover5', 30); // 40%: under again after the cooldown: a second alert
			await vi.waitFor(() => expect(hover()).toHaveLength(2));
			expect(new Set(hover().map((a) => a.id)).size).toBe(2);
		} finally {
			stop();
			feed.stop();
			await broadcast.close();
		}
	});
});
