/**
 * One computation for every open wallboard. While at least one is open, the server checks the
 * call log's high-water mark every POLL_MS (one indexed query, however many screens) and, when a
 * call event landed, recomputes the snapshot once and publishes it on the Broadcast port; every
 * wallboard stream relays what it receives. It also recomputes every REFRESH_MS (today rolls
 * over, settings change) and raises alerts: a queue's service level dropping under its target,
 * a caller waiting past the queue's wait alert. Alerts are deduplicated here, once for every
 * screen: a long wait alerts once per caller; a queue's drop under target alerts once, and again
 * only after it has recovered and ALERT_COOLDOWN_MS have passed (no storm while it hovers at the
 * target). Every signed-in manager's and supervisor's page follows the alerts on its notices
 * stream (notices/queue-alerts.ts), so the feed runs while any of them has the app open.
 */
import { gte, sql } from 'drizzle-orm';
import type { BroadcastPort } from '../adapters/broadcast';
import type { Db } from '../db/client';
import { callLog } from '../db/schema/reporting';
import { logger } from '../log';
import type { SupervisorAlert, WallboardSnapshot } from '../../reporting/wallboard-types';
import { computeWallboard } from './wallboard-snapshot';

export type { SupervisorAlert } from '../../reporting/wallboard-types';

export const WALLBOARD_CHANNEL = 'wallboard';
export const SNAPSHOT_EVENT = 'snapshot';
export const ALERT_EVENT = 'alert';

const log = logger('reporting');

/** A queue's service-level alert is not repeated sooner than this after the last one. */
export const ALERT_COOLDOWN_MS = 10 * 60 * 1000;

export interface WallboardFeedOptions {
	db: Db;
	broadcast: BroadcastPort;
	timeZone: string;
	pollMs?: number;
	refreshMs?: number;
	clock?: () => Date;
}

export class WallboardFeed {
	private watchers = 0;
	private timer: ReturnType<typeof setInterval> | undefined;
	private mark = '';
	private lastComputed = 0;
	private running = false;
	private latest: WallboardSnapshot | null = null;
	private below = new Map<string, boolean>();
	private lastSlAlert = new Map<string, number>();
	private waitAlerted = new Set<string>();
	/** Alerts whose condition still holds, by id: a screen opened later is told them at once. */
	private active = new Map<string, SupervisorAlert>();

	constructor(private readonly o: WallboardFeedOptions) {}

	private now(): Date {
		return this.o.clock?.() ?? new Date();
	}

	/** The latest snapshot, computed now when there is none yet. */
	async current(): Promise<WallboardSnapshot> {
		return this.latest ?? this.refresh();
	}

	/** Alerts whose condition still holds (a queue still under target, a caller still waiting). */
	activeAlerts(): SupervisorAlert[] {
		return [...this.active.values()];
	}

	/** Follow snapshots (null: alerts only) and alerts; resolves once subscribed, with the function that stops. */
	async watch(onSnapshot: ((s: WallboardSnapshot) => void) | null, onAlert: (a: SupervisorAlert) => void): Promise<() => void> {
		const stop = await this.o.broadcast.subscribe(WALLBOARD_CHANNEL, (message) => {
			if (message.name === SNAPSHOT_EVENT) onSnapshot?.(message.data as WallboardSnapshot);
			else if (message.name === ALERT_EVENT) onAlert(message.data as SupervisorAlert);
		});
		this.watchers += 1;
		if (!this.timer) this.timer = setInterval(() => void this.tick(), this.o.pollMs ?? 250);
		let stopped = false;
		return () => {
			if (stopped) return;
			stopped = true;
			stop();
			this.watchers -= 1;
			if (this.watchers === 0) this.stop();
		};
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	/** One turn: recompute and publish when the log moved or the refresh is due; check waits either way. */
	async tick(): Promise<void> {
		if (this.running) return;
		this.running = true;
		try {
			const now = this.now();
			const [row] = await this.o.db
				.select({ n: sql<number>`count(*)`.mapWith(Number), max: sql<number>`coalesce(max(${callLog.id}), 0)`.mapWith(Number) })
				.from(callLog)
				.where(gte(callLog.at, new Date(now.getTime() - 48 * 3600 * 1000)));
			const mark = `${row?.n}:${row?.max}`;
			const due = now.getTime() - this.lastComputed >= (this.o.refreshMs ?? 15_000);
			if (mark !== this.mark || due || !this.latest) {
				this.mark = mark;
				await this.refresh();
			}
			if (this.latest) await this.checkWaits(this.latest, now);
		} catch (error) {
			log.warn('wallboard refresh failed', { error: String(error) });
		} finally {
			this.running = false;
		}
	}

	private async refresh(): Promise<WallboardSnapshot> {
		const snapshot = await computeWallboard(this.o.db, this.o.timeZone, this.now());
		this.latest = snapshot;
		this.lastComputed = Date.parse(snapshot.computedAt);
		await this.publish(SNAPSHOT_EVENT, snapshot);
		await this.checkServiceLevel(snapshot);
		return snapshot;
	}

	private async publish(name: string, data: object): Promise<void> {
		try {
			await this.o.broadcast.publish(WALLBOARD_CHANNEL, name, data);
		} catch (error) {
			log.warn('could not publish to wallboards', { name, error: String(error) });
		}
	}

	private async checkServiceLevel(snapshot: WallboardSnapshot): Promise<void> {
		for (const q of snapshot.queues) {
			const sl = q.today.serviceLevel;
			const below = sl !== null && sl * 100 < q.targets.slTargetPercent;
			const was = this.below.get(q.queue) ?? false;
			this.below.set(q.queue, below);
			const id = `service-level:${q.queue}`;
			if (!below) this.active.delete(id);
			const last = this.lastSlAlert.get(q.queue);
			const now = Date.parse(snapshot.computedAt);
			if (below && !was && sl !== null && (last === undefined || now - last >= ALERT_COOLDOWN_MS)) {
				this.lastSlAlert.set(q.queue, now);
				const message = `Service level in ${q.queue} is ${(sl * 100).toFixed(1)}% today, under its ${q.targets.slTargetPercent}% target.`;
				const alert: SupervisorAlert = { id: `${id}:${snapshot.computedAt}`, kind: 'service-level', queue: q.queue, message, at: snapshot.computedAt };
				this.active.set(id, alert);
				await this.publish(ALERT_EVENT, alert);
			}
		}
	}

	private async checkWaits(snapshot: WallboardSnapshot, now: Date): Promise<void> {
		const waiting = new Set(snapshot.waitingCalls.map((w) => w.callId));
		for (const id of this.waitAlerted) {
			if (waiting.has(id)) continue;
			this.waitAlerted.delete(id);
			this.active.delete(`long-wait:${id}`);
		}
		for (const w of snapshot.waitingCalls) {
			const limit = snapshot.queues.find((q) => q.queue === w.queue)?.targets.waitAlertSeconds ?? 120;
			const waited = Math.floor((now.getTime() - Date.parse(w.since)) / 1000);
			if (waited < limit || this.waitAlerted.has(w.callId)) continue;
			this.waitAlerted.add(w.callId);
			const alert: SupervisorAlert = { id: `long-wait:${w.callId}`, kind: 'long-wait', queue: w.queue, message: `A caller in ${w.queue} has waited ${waited} s, past the ${limit} s alert.`, at: now.toISOString() };
			this.active.set(alert.id, alert);
			await this.publish(ALERT_EVENT, alert);
		}
	}
}
