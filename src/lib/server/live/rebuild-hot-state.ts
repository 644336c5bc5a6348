/**
 * Start-up hydration: the hot state's roster and skills come from the archive. Every staff user
 * who may sign in appears in agent_status (offline unless hot state already knows better, as a
 * real Convex deployment does after a restart of this server), users who left are dropped, and
 * agent_skills is made to match the archive exactly. With the voice services, the live calls
 * follow (incoming_call_queue, active_calls; see calls/rebuild-live-calls.ts).
 *
 * A Convex mutation may read and write only so much (4,096 queries, 16,000 writes), so the
 * roster and skills go in batches of HYDRATE_BATCH agents, sent together, and the cleanup of
 * users who left runs page by page.
 */
import type { FunctionArgs } from 'convex/server';
import { api } from '$convex/_generated/api';
import { isRole } from '$lib/roles';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { agentSkills } from '../db/schema/staff';
import { logger } from '../log';
import { rebuildLiveCalls, type RebuildLiveCallsResult } from '../calls/rebuild-live-calls';
import type { VoiceServices } from '../calls/voice-services';
import { SYSTEM_IDENTITY, type HotState } from './hot';

const log = logger('live');

/** Agents per hydration mutation: one query and a few writes each, far inside Convex's limits. */
export const HYDRATE_BATCH = 200;

function chunks<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

type Pruner = typeof api.agentStatus.pruneRoster | typeof api.agentSkills.pruneSkills;

/** Runs a paginated prune until its last page; returns how many rows it removed. */
async function prune(hot: Pick<HotState, 'mutation'>, ref: Pruner, keep: string[]): Promise<number> {
	let cursor: string | null = null;
	let removed = 0;
	for (;;) {
		const page: { removed: number; continueCursor: string; isDone: boolean } = await hot.mutation(ref, { keep, cursor }, SYSTEM_IDENTITY);
		removed += page.removed;
		if (page.isDone) return removed;
		cursor = page.continueCursor;
	}
}

type RosterEntry = FunctionArgs<typeof api.agentStatus.hydrate>['agents'][number];

/** Active staff with a known role, as hot state's roster lists them. */
export function rosterOf(users: { id: string; name: string; role: string | null; banned: boolean | null }[]): RosterEntry[] {
	return users.filter((u) => !u.banned).flatMap((u) => (isRole(u.role) ? [{ userId: u.id, name: u.name, role: u.role }] : []));
}

/** Make hot state's roster exactly `agents`, in batches and pages Convex accepts whatever the staff's size. */
export async function syncRoster(hot: Pick<HotState, 'mutation'>, agents: RosterEntry[]): Promise<{ inserted: number; updated: number; removed: number }> {
	const roster = { inserted: 0, updated: 0, removed: 0 };
	for (const result of await Promise.all(
		chunks(agents, HYDRATE_BATCH).map((batch) => hot.mutation(api.agentStatus.hydrate, { agents: batch, removeMissing: false }, SYSTEM_IDENTITY))
	)) {
		roster.inserted += result.inserted;
		roster.updated += result.updated;
	}
	roster.removed = await prune(hot, api.agentStatus.pruneRoster, agents.map((a) => a.userId));
	return roster;
}

export async function rebuildHotState({ db, hot, voice }: { db: Db; hot: HotState; voice?: VoiceServices }): Promise<{ calls: RebuildLiveCallsResult | null }> {
	const started = Date.now();
	const agents = rosterOf(await db.select({ id: user.id, name: user.name, role: user.role, banned: user.banned }).from(user));
	const keep = agents.map((a) => a.userId);
	const batches = chunks(agents, HYDRATE_BATCH);
	const roster = await syncRoster(hot, agents);

	const onRoster = new Set(keep);
	const skills = (
		await db.select({ userId: agentSkills.userId, skill: agentSkills.skill, level: agentSkills.level }).from(agentSkills)
	).filter((s) => onRoster.has(s.userId));
	await Promise.all(
		batches.map((batch) => {
			const ids = new Set(batch.map((a) => a.userId));
			const userIds = [...ids];
			return hot.mutation(api.agentSkills.replaceForAgents, { userIds, skills: skills.filter((s) => ids.has(s.userId)) }, SYSTEM_IDENTITY);
		})
	);
	await prune(hot, api.agentSkills.pruneSkills, keep);
	const calls = voice ? await rebuildLiveCalls(voice) : null;
	log.info(`hot state rebuilt from the archive in ${Date.now() - started} ms`, {
		agents: agents.length,
		...roster,
		skills: skills.length,
		...(calls ? { calls } : {})
	});
	return { calls };
}
