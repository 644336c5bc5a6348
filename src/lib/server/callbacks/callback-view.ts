/** The shape callback tasks are shown in (list page and timeline), read with the people and the call's recording. */
import { aliasedTable, eq, inArray, type SQL } from 'drizzle-orm';
import { displayName } from '../crm/display-name';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { callbackTasks, type CallbackOutcome, type CallbackReason, type CallbackStatus } from '../db/schema/callbacks';
import { customers } from '../db/schema/crm';
import { calls } from '../db/schema/calls';
import { recordingView, type RecordingView } from '../calls/call-details';
import { loadTranscriptViews, NO_TRANSCRIPT, type TranscriptView } from '../transcripts/transcript-view';

export interface CallbackTaskView {
	id: string;
	callId: string;
	queue: string;
	reason: CallbackReason;
	customerId: string | null;
	customerName: string | null;
	callerNumber: string;
	waitSeconds: number | null;
	status: CallbackStatus;
	claimedBy: string | null;
	claimedByName: string | null;
	claimedAt: string | null;
	completedByName: string | null;
	completedAt: string | null;
	outcome: CallbackOutcome | null;
	notes: string;
	createdAt: string;
	/** The voicemail (or abandoned call's) recording, playable through calls.recordingUrl. */
	recording: RecordingView;
	/** The voicemail's transcript (a voicemail is the caller alone: every line is the customer's). */
	transcript: TranscriptView;
}

const claimer = aliasedTable(user, 'claimer');
const completer = aliasedTable(user, 'completer');

export async function selectCallbackViews(db: Db | Tx, where: SQL | undefined, limit = 200): Promise<CallbackTaskView[]> {
	const rows = await db
		.select({ task: callbackTasks, call: calls, customer: customers, claimedByName: claimer.name, completedByName: completer.name })
		.from(callbackTasks)
		.innerJoin(calls, eq(calls.id, callbackTasks.callId))
		.leftJoin(customers, eq(customers.id, callbackTasks.customerId))
		.leftJoin(claimer, eq(claimer.id, callbackTasks.claimedBy))
		.leftJoin(completer, eq(completer.id, callbackTasks.completedBy))
		.where(where)
		.orderBy(callbackTasks.createdAt, callbackTasks.id)
		.limit(limit);
	const transcripts = await loadTranscriptViews(
		db,
		rows.map(({ call }) => ({ callId: call.id, recordingSid: call.recordingStatus === 'stored' ? call.recordingSid : null }))
	);
	return rows.map(({ task, call, customer, claimedByName, completedByName }) => ({
		id: task.id,
		callId: task.callId,
		queue: task.queue,
		reason: task.reason,
		customerId: task.customerId,
		customerName: customer ? displayName(customer) : null,
		callerNumber: task.callerNumber,
		waitSeconds: task.waitSeconds,
		status: task.status,
		claimedBy: task.claimedBy,
		claimedByName,
		claimedAt: task.claimedAt?.toISOString() ?? null,
		completedByName,
		completedAt: task.completedAt?.toISOString() ?? null,
		outcome: task.outcome,
		notes: task.notes,
		createdAt: task.createdAt.toISOString(),
		recording: recordingView(call),
		transcript: transcripts.get(call.id) ?? NO_TRANSCRIPT
	}));
}

/** The tasks with these ids, by id (timeline entries read them fresh). */
export async function loadCallbackViews(db: Db | Tx, ids: readonly string[]): Promise<Map<string, CallbackTaskView>> {
	if (ids.length === 0) return new Map();
	const views = await selectCallbackViews(db, inArray(callbackTasks.id, [...new Set(ids)]));
	return new Map(views.map((v) => [v.id, v]));
}
