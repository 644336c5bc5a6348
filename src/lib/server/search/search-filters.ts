/** The choices the search page offers for its agent and queue filters. */
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { voiceQueues } from '../db/schema/calls';

export interface SearchFilterChoices {
	agents: { id: string; name: string }[];
	queues: string[];
}

export async function searchFilterChoices(db: Db): Promise<SearchFilterChoices> {
	const [agents, queues] = await Promise.all([
		db.select({ id: user.id, name: user.name }).from(user).orderBy(asc(user.name)),
		db.selectDistinct({ name: voiceQueues.name }).from(voiceQueues).orderBy(asc(voiceQueues.name))
	]);
	return { agents, queues: queues.map((q) => q.name) };
}
