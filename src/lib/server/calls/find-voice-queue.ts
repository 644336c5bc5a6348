/** Which queue a dialled Switchboard number reaches, and whether that queue is open now. */
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { voiceQueues, type OpeningHours } from '../db/schema/calls';

export type VoiceQueue = typeof voiceQueues.$inferSelect;

export async function findVoiceQueue(db: Db | Tx, numberE164: string): Promise<VoiceQueue | null> {
	const [row] = await db.select().from(voiceQueues).where(eq(voiceQueues.number, numberE164));
	return row ?? null;
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
