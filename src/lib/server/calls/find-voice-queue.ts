/** Which queue a dialled Switchboard number reaches, and whether that queue is open now. */
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { voiceQueues, type OpeningHours } from '../db/schema/calls';

export type VoiceQueue = typeof voiceQueues.$inferSelect;

export async function findVoiceQueue(db: Db | Tx, numberE164: string): Promise<VoiceQueue | null> {
	const [row] = await db.select().from(voiceQueues).where(eq(voiceQueues.number, numberE164));
	return row ?? null;
}

/**
 * How long a number's queue is reused without reading voice_queues again. An admin's change
 * through saveVoiceQueue clears this process's copy at once (forgetVoiceQueues); another
 * server process on the same archive (LIVE=convex) sees it within this time.
 */
export const VOICE_QUEUE_CACHE_MS = 5_000;

type QueueCache = Map<string, { queue: VoiceQueue; until: number }>;
const cached = new WeakMap<Db | Tx, QueueCache>();
/** Reads under way, per archive handle and number: callers that miss meanwhile wait for the same one. */
const loading = new WeakMap<Db | Tx, Map<string, Promise<VoiceQueue | null>>>();

/**
 * findVoiceQueue for the incoming-call path, which asks for the same few numbers on every call:
 * a found queue is kept per archive handle for VOICE_QUEUE_CACHE_MS. A number with no queue is
 * not kept, so a queue created anyhow (seed, test, another process) answers its next call.
 * When the copy runs out under a burst, the calls that miss share one read rather than each
 * sending its own.
 */
export async function findVoiceQueueCached(db: Db, numberE164: string, now = Date.now()): Promise<VoiceQueue | null> {
	let byNumber = cached.get(db);
	const hit = byNumber?.get(numberE164);
	if (hit && hit.until > now) return hit.queue;
	let reads = loading.get(db);
	const pending = reads?.get(numberE164);
	if (pending) return pending;
	if (!byNumber) cached.set(db, (byNumber = new Map() as QueueCache));
	if (!reads) loading.set(db, (reads = new Map<string, Promise<VoiceQueue | null>>()));
	// Kept in the copy this read started from: one forgetVoiceQueues dropped meanwhile stays dropped.
	const into = byNumber;
	const inFlight = reads;
	const read = findVoiceQueue(db, numberE164)
		.then((queue) => {
			if (queue) into.set(numberE164, { queue, until: now + VOICE_QUEUE_CACHE_MS });
			else into.delete(numberE164);
			return queue;
		})
		.finally(() => inFlight.delete(numberE164));
	inFlight.set(numberE164, read);
	return read;
}

/** Drop this archive handle's cached queues (after an admin saved one). */
export function forgetVoiceQueues(db: Db | Tx): void {
	cached.delete(db);
	loading.delete(db);
}

/** True when `now` falls in one of today's ranges in the queue's time zone; no hours means always open. */
export function isQueueOpen(hours: OpeningHours | null, now: Date): boolean {
	if (!hours) return true;
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: hours.timezone,
		weekday: 'short',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(now);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	const day = String(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'))) as keyof OpeningHours['days'];
	const time = `${get('hour')}:${get('minute')}`;
	return (hours.days[day] ?? []).some(([from, to]) => time >= from && time < to);
}
