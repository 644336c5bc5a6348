/**
 * Demo routing for local mode: the carrier's demo numbers and the queues they reach. Existing
 * rows are kept, so an operator's changes survive a restart.
 */
import type { Db } from '../db/client';
import { voiceQueues } from '../db/schema/calls';

export const DEMO_VOICE_QUEUES = [
	{ number: '+14155550100', name: 'sales', requiredSkills: ['sales'], maxWaitSeconds: 300, ringSeconds: 20, wrapupSeconds: 60, openingHours: null },
	{ number: '+14155550101', name: 'support', requiredSkills: ['support'], maxWaitSeconds: 300, ringSeconds: 20, wrapupSeconds: 60, openingHours: null }
] as const;

/** Insert the demo numbers that are missing; returns how many were added. */
export async function seedVoiceQueues(db: Db): Promise<number> {
	const rows = await db
		.insert(voiceQueues)
		.values(DEMO_VOICE_QUEUES.map((q) => ({ ...q, requiredSkills: [...q.requiredSkills] })))
		.onConflictDoNothing({ target: voiceQueues.number })
		.returning({ number: voiceQueues.number });
	return rows.length;
}
