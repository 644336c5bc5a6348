/**
 * Start-up hydration: the hot state's roster and skills come from the archive. Every staff user
 * who may sign in appears in agent_status (offline unless hot state already knows better, as a
 * real Convex deployment does after a restart of this server), users who left are dropped, and
 * agent_skills is made to match the archive exactly. With the voice services, the live calls
 * follow (incoming_call_queue, call_queue, active_calls; see voice/rebuild-live-calls.ts).
 */
import { api } from '$convex/_generated/api';
import { isRole } from '$lib/roles';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { agentSkills } from '../db/schema/staff';
import { logger } from '../log';
import { rebuildLiveCalls, type RebuildLiveCallsResult } from '../voice/rebuild-live-calls';
import type { VoiceServices } from '../voice/voice-services';
import { SYSTEM_IDENTITY, type HotState } from './hot';

const log = logger('live');

export async function rebuildHotState({ db, hot, voice }: { db: Db; hot: HotState; voice?: VoiceServices }): Promise<{ calls: RebuildLiveCallsResult | null }> {
	const started = Date.now();
	const users = await db.select({ id: user.id, name: user.name, role: user.role, banned: user.banned }).from(user);
	const agents = users
		.filter((u) => !u.banned)
		.flatMap((u) => (isRole(u.role) ? [{ userId: u.id, name: u.name, role: u.role }] : []));
	const roster = await hot.mutation(api.agentStatus.hydrate, { agents, removeMissing: true }, SYSTEM_IDENTITY);

	const onRoster = new Set(agents.map((a) => a.userId));
	const skills = (
		await db.select({ userId: agentSkills.userId, skill: agentSkills.skill, level: agentSkills.level }).from(agentSkills)
	).filter((s) => onRoster.has(s.userId));
	await hot.mutation(api.agentSkills.replaceAll, { skills }, SYSTEM_IDENTITY);
	const calls = voice ? await rebuildLiveCalls(voice) : null;
	log.info(`hot state rebuilt from the archive in ${Date.now() - started} ms`, {
		agents: agents.length,
		...roster,
		skills: skills.length,
		...(calls ? { calls } : {})
	});
	return { calls };
}
