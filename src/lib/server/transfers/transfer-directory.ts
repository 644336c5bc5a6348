/**
 * The transfer directory: every other agent with live presence and skills (hot state), and every
 * queue with its skills, the callers waiting in it and how many agents could take a call now.
 * Searched by name or skill, case-insensitively; available agents first.
 */
import { api } from '$convex/_generated/api';
import type { Db } from '../db/client';
import { voiceQueues } from '../db/schema/calls';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';

export interface DirectoryAgent {
	id: string;
	name: string;
	status: string;
	available: boolean;
	skills: Array<{ skill: string; level: number }>;
}
export interface DirectoryQueue {
	name: string;
	skills: string[];
	waiting: number;
	availableAgents: number;
}

export async function transferDirectory(deps: { db: Db; hot: HotState }, viewerId: string, search = ''): Promise<{ agents: DirectoryAgent[]; queues: DirectoryQueue[] }> {
	const queueRows = await deps.db.select({ name: voiceQueues.name, skills: voiceQueues.requiredSkills }).from(voiceQueues);
	const byName = new Map(queueRows.map((q) => [q.name, q.skills]));
	const live = await deps.hot.query(api.transfers.directory, { queues: [...byName.keys()] }, SYSTEM_IDENTITY);
	const needle = search.trim().toLowerCase();
	const hit = (...texts: string[]) => !needle || texts.some((t) => t.toLowerCase().includes(needle));
	const agents = live.agents
		.filter((a) => a.userId !== viewerId && hit(a.name, ...a.skills.map((s) => s.skill)))
		.map((a) => ({ id: a.userId, name: a.name, status: a.status, available: a.status === 'available' && a.ready, skills: a.skills }))
		.sort((x, y) => Number(y.available) - Number(x.available) || x.name.localeCompare(y.name));
	const queues = [...byName]
		.filter(([name, skills]) => hit(name, ...skills))
		.map(([name, skills]) => ({
			name,
			skills,
			waiting: live.waiting.find((w) => w.queueName === name)?.count ?? 0,
			availableAgents: live.agents.filter((a) => a.status === 'available' && a.ready && skills.every((s) => a.skills.some((k) => k.skill === s))).length
		}))
		.sort((x, y) => x.name.localeCompare(y.name));
	return { agents, queues };
}
