/**
 * Who is on a call now (from the conference events kept in hot state), with names, for the
 * softphone's participant list and the wallboard. The agent on the call, an agent added to it,
 * and managers and up may read it.
 */
import { inArray } from 'drizzle-orm';
import { roleAllows, type Role } from '$lib/roles';
import { user } from '../db/schema/auth';
import { AppError } from '../errors';
import { liveCall, type CallControlServices } from './conference';
import { parseLabel } from './conference-twiml';

export type ParticipantKind = 'customer' | 'agent' | 'supervisor' | 'external' | 'unknown';

export interface ParticipantView {
	callSid: string;
	kind: ParticipantKind;
	label: string;
	name: string;
	hold: boolean;
	muted: boolean;
	coaching: boolean;
}

/** The object rule for reading or changing a call's parties: its agent, an agent in it, or a manager and up. */
export function mayControl(row: { agentId: string; participants?: { label: string }[] }, actor: { id: string; role: Role }): boolean {
	return row.agentId === actor.id || (row.participants ?? []).some((p) => p.label === `agent:${actor.id}`) || roleAllows('manager', actor.role);
}

export async function callParticipants(services: CallControlServices, actor: { id: string; role: Role }, callSid: string) {
	const row = await liveCall(services, callSid);
	if (!mayControl(row, actor)) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agents on this call, or a manager, can see who is on it.');
	const parsed = (row.participants ?? []).map((p) => ({ ...p, parsed: parseLabel(p.label) }));
	const staffIds = parsed.flatMap((p) => (p.parsed && (p.parsed.kind === 'agent' || p.parsed.kind === 'supervisor') ? [p.parsed.id] : []));
	const names = new Map(
		staffIds.length ? (await services.db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, staffIds))).map((u) => [u.id, u.name] as const) : []
	);
	const participants: ParticipantView[] = parsed.map((p) => {
		const kind: ParticipantKind = p.parsed?.kind ?? 'unknown';
		const name = kind === 'customer' ? (row.customerName ?? row.customerNumber ?? 'Customer') : kind === 'external' ? (p.parsed?.id ?? '') : (names.get(p.parsed?.id ?? '') ?? p.label);
		return { callSid: p.callSid, kind, label: p.label, name, hold: p.hold, muted: p.muted, coaching: p.coaching };
	});
	return { callSid: row.callSid, inConference: row.controlState === 'conference', participants };
}
