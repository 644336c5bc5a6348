/**
 * A third party on a live call: another agent (their softphone rings) or an outside number,
 * which goes through the outbound gate first (DNC, calling hours: a refusal is a clear error and
 * nothing reaches the carrier). Dropping one takes them out of the conference; the customer
 * cannot be dropped (hang up instead). The archive keeps a `conference` segment per party.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import type { Role } from '$lib/roles';
import { addCallEvent } from '../calls/call-archive';
import { agentClientIdentity } from '../calls/caller-number';
import { user } from '../db/schema/auth';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY } from '../live/hot';
import { outboundClock } from '../outbound/clock';
import { gateAttempt } from '../outbound/gate';
import { conferenceReady, liveCall, type CallControlServices } from './conference';
import { parseLabel } from './conference-twiml';
import { archiveCallId } from './hold-call';
import { mayControl } from './participants';
import { endPartySegment, hasOpenSegment, lockCallStory, recordSegment, switchSegment } from './record-segment';

export type AddTarget = { agentId: string } | { number: string };
export type Actor = { id: string; role: Role };

/** The number the call's other parties see us call from: the one the customer called, or called from. */
function ourNumber(row: { direction: 'inbound' | 'outbound'; from: string; to: string }): string {
	return row.direction === 'inbound' ? row.to : row.from;
}

export async function addParticipant(services: CallControlServices, actor: Actor, input: { callSid: string; target: AddTarget }, now = new Date()) {
	const row = await liveCall(services, input.callSid);
	if (!mayControl(row, actor)) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agents on this call, or a manager, can add someone to it.');
	let to: string;
	let label: string;
	let detail: Record<string, unknown>;
	if ('agentId' in input.target) {
		const agentId = input.target.agentId;
		if (agentId === actor.id) throw new AppError('BAD_REQUEST', 'CANNOT_ADD_YOURSELF', 'You are already on this call.');
		if (agentId === row.agentId || (row.participants ?? []).some((p) => p.label === `agent:${agentId}`)) throw new AppError('CONFLICT', 'ALREADY_ON_CALL', 'That agent is already on this call.');
		// A staff member who can take calls (not deactivated), available now with a ready softphone, as the transfer directory shows them.
		const [staff] = await services.db.select({ banned: user.banned }).from(user).where(eq(user.id, agentId)).limit(1);
		const presence = staff && !staff.banned ? await services.hot.query(api.callControl.agentPresence, { userId: agentId }, SYSTEM_IDENTITY) : null;
		if (!presence) throw new AppError('NOT_FOUND', 'AGENT_NOT_FOUND', 'No such agent.');
		if (presence.status !== 'available' || presence.onCall || !presence.ready) {
			const why = presence.onCall ? 'on another call' : presence.status === 'available' ? 'without a ready softphone' : presence.status;
			throw new AppError('CONFLICT', 'AGENT_UNAVAILABLE', `${presence.name} is ${why} and cannot be added now.`);
		}
		to = `client:${agentClientIdentity(agentId)}`;
		label = `agent:${agentId}`;
		detail = { agentId };
	} else {
		const number = input.target.number;
		const verdict = await services.db.transaction((tx) =>
			gateAttempt(tx, { actor: { id: actor.id }, to: number, channel: 'voice', source: 'manual', from: ourNumber(row), now: outboundClock(services.config)(), rules: services.config.outbound.rules })
		);
		if (!verdict.ok) throw verdict.error;
		to = verdict.e164;
		label = `external:${verdict.e164}`;
		detail = { number: verdict.e164 };
	}
	const ref = await conferenceReady(services, row.callSid);
	const leg = await services.adapters.telephony.addConferenceParticipant(ref.conferenceName, {
		from: ourNumber(row),
		to,
		label,
		beep: 'false',
		earlyMedia: true,
		startConferenceOnEnter: true,
		endConferenceOnExit: false,
		timeoutSeconds: 30
	});
	const callId = await archiveCallId(services, row.callSid);
	if (callId) {
		await services.db.transaction(async (tx) => {
			await lockCallStory(tx, callId);
			// The call's agent is in a conference now, not a two-way talk; the added party's own segment runs beside it.
			if (!(await hasOpenSegment(tx, { callId, kind: 'conference', agentId: row.agentId }))) {
				await switchSegment(tx, { callId, agentId: row.agentId, from: 'talk', to: 'conference', at: now });
			}
			await recordSegment(tx, { callId, kind: 'conference', agentId: 'agentId' in input.target ? input.target.agentId : null, startedAt: now, detail: { ...detail, callSid: leg.callSid, by: actor.id } });
			await addCallEvent(tx, { callId, kind: 'participant.added', at: now, payload: { ...detail, callSid: leg.callSid, by: actor.id } });
		});
	}
	return { callSid: row.callSid, participantCallSid: leg.callSid, label };
}

export async function dropParticipant(services: CallControlServices, actor: Actor, input: { callSid: string; participantCallSid: string }, now = new Date()) {
	const row = await liveCall(services, input.callSid);
	if (!mayControl(row, actor)) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agents on this call, or a manager, can drop someone from it.');
	const party = (row.participants ?? []).find((p) => p.callSid === input.participantCallSid);
	if (!party || !row.conferenceSid) throw new AppError('NOT_FOUND', 'NOT_A_PARTICIPANT', 'That party is not on this call.');
	if (parseLabel(party.label)?.kind === 'customer') throw new AppError('BAD_REQUEST', 'CANNOT_DROP_CUSTOMER', 'The customer cannot be dropped; hang up to end the call.');
	await services.adapters.telephony.removeConferenceParticipant(row.conferenceSid, input.participantCallSid);
	const callId = await archiveCallId(services, row.callSid);
	if (callId) {
		await services.db.transaction(async (tx) => {
			await lockCallStory(tx, callId);
			await endPartySegment(tx, { callId, callAgentId: row.agentId, label: party.label, others: (row.participants ?? []).filter((p) => p.callSid !== input.participantCallSid), at: now });
			await addCallEvent(tx, { callId, kind: 'participant.dropped', at: now, payload: { label: party.label, callSid: input.participantCallSid, by: actor.id } });
		});
	}
	return { callSid: row.callSid, dropped: input.participantCallSid };
}
