/**
 * Supervisor monitor (listen, muted), whisper (coach: heard by the agent only) and barge (join
 * the conversation) from the wallboard. Managers and supervisors only, never on their own call.
 * The supervisor's softphone is dialled into the conference; asking again with another mode
 * changes the same leg. The agent sees who is listening (hot state listeners); the archive
 * keeps a `monitor` segment and an event per change.
 */
import { api } from '$convex/_generated/api';
import { roleAllows } from '$lib/roles';
import { user } from '../db/schema/auth';
import { addCallEvent } from '../calls/call-archive';
import { agentClientIdentity } from '../calls/caller-number';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY } from '../live/hot';
import { eq } from 'drizzle-orm';
import type { Actor } from './add-participant';
import { conferenceReady, liveCall, type CallControlServices } from './conference';
import { archiveCallId } from './hold-call';
import { lockCallStory, recordSegment } from './record-segment';

export type MonitorMode = 'monitor' | 'whisper' | 'barge';

const HOW: Record<MonitorMode, { muted: boolean; coaching: boolean }> = {
	monitor: { muted: true, coaching: false },
	whisper: { muted: false, coaching: true },
	barge: { muted: false, coaching: false }
};

export async function monitorCall(services: CallControlServices, actor: Actor, input: { callSid: string; mode: MonitorMode }, now = new Date()) {
	if (!roleAllows('manager', actor.role)) throw new AppError('FORBIDDEN', 'FORBIDDEN', 'Only managers and supervisors can listen to calls.');
	const row = await liveCall(services, input.callSid);
	if (row.agentId === actor.id) throw new AppError('BAD_REQUEST', 'OWN_CALL', 'You cannot monitor your own call.');
	const ref = await conferenceReady(services, row.callSid);
	const how = HOW[input.mode];
	const coach = input.mode === 'whisper' ? { callSidToCoach: ref.agentCallSid } : {};
	const existing = (row.listeners ?? []).find((l) => l.userId === actor.id);
	let legSid: string;
	if (existing) {
		if (existing.mode === input.mode) return { callSid: row.callSid, participantCallSid: existing.callSid, mode: input.mode };
		await services.adapters.telephony.updateConferenceParticipant(ref.conferenceSid, existing.callSid, { muted: how.muted, coaching: how.coaching, ...coach });
		legSid = existing.callSid;
	} else {
		const leg = await services.adapters.telephony.addConferenceParticipant(ref.conferenceName, {
			from: row.direction === 'inbound' ? row.to : row.from,
			to: `client:${agentClientIdentity(actor.id)}`,
			label: `supervisor:${actor.id}`,
			beep: 'false',
			startConferenceOnEnter: false,
			endConferenceOnExit: false,
			muted: how.muted,
			coaching: how.coaching,
			...coach,
			timeoutSeconds: 30
		});
		legSid = leg.callSid;
	}
	const [me] = await services.db.select({ name: user.name }).from(user).where(eq(user.id, actor.id));
	await services.hot.mutation(api.callControl.addListener, { callSid: row.callSid, listener: { userId: actor.id, name: me?.name ?? 'Supervisor', mode: input.mode, callSid: legSid } }, SYSTEM_IDENTITY);
	const callId = await archiveCallId(services, row.callSid);
	if (callId) {
		await services.db.transaction(async (tx) => {
			await lockCallStory(tx, callId);
			if (!existing) await recordSegment(tx, { callId, kind: 'monitor', agentId: actor.id, startedAt: now, detail: { mode: input.mode, callSid: legSid } });
			await addCallEvent(tx, { callId, kind: `monitor.${input.mode}`, at: now, payload: { by: actor.id, callSid: legSid } });
		});
	}
	return { callSid: row.callSid, participantCallSid: legSid, mode: input.mode };
}

/** Hang up the supervisor's leg; its participant-leave closes the segment and the agent stops seeing them. */
export async function stopMonitor(services: CallControlServices, actor: Actor, input: { callSid: string }) {
	if (!roleAllows('manager', actor.role)) throw new AppError('FORBIDDEN', 'FORBIDDEN', 'Only managers and supervisors can listen to calls.');
	const row = await liveCall(services, input.callSid);
	const mine = (row.listeners ?? []).find((l) => l.userId === actor.id);
	if (!mine || !row.conferenceSid) throw new AppError('CONFLICT', 'NOT_LISTENING', 'You are not listening to this call.');
	await services.adapters.telephony.removeConferenceParticipant(row.conferenceSid, mine.callSid);
	return { callSid: row.callSid, stopped: mine.callSid };
}
