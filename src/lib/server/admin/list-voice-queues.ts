/** Every queue and its number, by queue name then number. */
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { voiceQueues } from '../db/schema/calls';
import type { VoiceQueue } from '../calls/find-voice-queue';

export async function listVoiceQueues(db: Db): Promise<VoiceQueue[]> {
	return db.select().from(voiceQueues).orderBy(asc(voiceQueues.name), asc(voiceQueues.number));
}
