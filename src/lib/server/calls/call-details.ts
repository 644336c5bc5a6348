/**
 * What a customer's timeline shows of a call, read fresh from the call row rather than from the
 * activity's snapshot: the recording moves from processing to stored (or failed) after the
 * activity is written, and the agent's name follows the staff record.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { callEvents, calls, type CallDirectionArchive, type CallOutcome } from '../db/schema/calls';
import { notFound } from '../errors';
import { loadTranscriptViews, NO_TRANSCRIPT, type TranscriptView } from '../transcripts/transcript-view';

/** `processing` while the fetch job runs (or retries), `none` when nothing was recorded. */
export type RecordingView =
	| { status: 'none' }
	| { status: 'processing'; attempts: number; lastError: string | null }
	| { status: 'stored'; seconds: number | null; channels: number | null }
	| { status: 'failed'; attempts: number; lastError: string | null };

export interface CallDetailView {
	callId: string;
	callSid: string;
	direction: CallDirectionArchive;
	outcome: CallOutcome | null;
	queue: string | null;
	agentId: string | null;
	agentName: string | null;
	/** Agents the call rang who let it ring out, first miss first, by name. */
	missedBy: string[];
	/** The caller's number as the carrier sent it (E.164 when it is one). */
	from: string;
	waitSeconds: number | null;
	talkSeconds: number | null;
	wrapupSeconds: number | null;
	disposition: string | null;
	notes: string;
	recording: RecordingView;
	/** The recording's transcript: its job's state, or the speaker-labelled lines. */
	transcript: TranscriptView;
}

type Row = typeof calls.$inferSelect;

export function recordingView(call: Pick<Row, 'recordingStatus' | 'recordingAttempts' | 'recordingError' | 'recordingSeconds' | 'recordingChannels'>): RecordingView {
	switch (call.recordingStatus) {
		case 'fetching':
			return { status: 'processing', attempts: call.recordingAttempts, lastError: call.recordingError };
		case 'stored':
			return { status: 'stored', seconds: call.recordingSeconds, channels: call.recordingChannels };
		case 'failed':
			return { status: 'failed', attempts: call.recordingAttempts, lastError: call.recordingError };
		default:
			return { status: 'none' };
	}
}

/** For each call, the agents it rang out on (its `missed` events), first miss first, each once. */
export async function loadMissedBy(db: Db | Tx, callIds: readonly string[]): Promise<Map<string, { agentId: string; name: string }[]>> {
	const out = new Map<string, { agentId: string; name: string }[]>();
	if (callIds.length === 0) return out;
	const rows = await db
		.select({ callId: callEvents.callId, agentId: user.id, name: user.name })
		.from(callEvents)
		.innerJoin(user, eq(user.id, sql<string>`${callEvents.payload}->>'agentId'`))
		.where(and(inArray(callEvents.callId, [...callIds]), eq(callEvents.kind, 'missed')))
		.orderBy(asc(callEvents.createdAt));
	for (const row of rows) {
		const list = out.get(row.callId) ?? [];
		if (!list.some((m) => m.agentId === row.agentId)) list.push({ agentId: row.agentId, name: row.name });
		out.set(row.callId, list);
	}
	return out;
}

function toView(call: Row, agentName: string | null, missedBy: string[], transcript: TranscriptView): CallDetailView {
	return {
		callId: call.id,
		callSid: call.callSid,
		direction: call.direction,
		outcome: call.outcome,
		queue: call.queue,
		agentId: call.agentId,
		agentName,
		missedBy,
		from: call.fromE164 ?? call.fromRaw,
		waitSeconds: call.waitSeconds,
		talkSeconds: call.talkSeconds,
		wrapupSeconds: call.wrapupSeconds,
		disposition: call.disposition,
		notes: call.notes,
		recording: recordingView(call),
		transcript
	};
}

/** The calls with these ids, by id; unknown ids are simply missing from the map. */
export async function loadCallDetails(db: Db | Tx, callIds: readonly string[]): Promise<Map<string, CallDetailView>> {
	const ids = [...new Set(callIds)];
	if (ids.length === 0) return new Map();
	const [rows, missed] = await Promise.all([
		db.select({ call: calls, agentName: user.name }).from(calls).leftJoin(user, eq(user.id, calls.agentId)).where(inArray(calls.id, ids)),
		loadMissedBy(db, ids)
	]);
	const transcripts = await loadTranscriptViews(
		db,
		rows.map((r) => ({ callId: r.call.id, recordingSid: r.call.recordingStatus === 'stored' ? r.call.recordingSid : null }))
	);
	return new Map(
		rows.map((r) => [r.call.id, toView(r.call, r.agentName, (missed.get(r.call.id) ?? []).map((m) => m.name), transcripts.get(r.call.id) ?? NO_TRANSCRIPT)])
	);
}

/** One call's details; NOT_FOUND when there is no such call. */
export async function getCallDetail(db: Db, callId: string): Promise<CallDetailView> {
	const found = (await loadCallDetails(db, [callId])).get(callId);
	if (!found) throw notFound('CALL_NOT_FOUND', 'No such call; it may have been deleted.');
	return found;
}
