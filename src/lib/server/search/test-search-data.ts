/** Rows for search tests and the e2e seed: a call with its transcript, a text in a thread. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { smsMessages, smsThreads } from '../db/schema/sms';
import { callTranscripts, type TranscriptLine } from '../db/schema/transcripts';

export interface TestCall {
	agentId?: string | null;
	customerId?: string | null;
	queue?: string | null;
	direction?: 'inbound' | 'outbound';
	kind?: 'call' | 'voicemail';
	at?: Date;
	/** The customer's number (the caller's on an inbound call, the dialled one on an outbound). */
	phone?: string;
	/** [speaker, text] per line, 5 s apart from 0; or full lines. */
	lines: ([TranscriptLine['speaker'], string] | TranscriptLine)[];
}

/** A finished call and its done transcript; returns the call's id. */
export async function insertTranscribedCall(db: Db, input: TestCall): Promise<string> {
	const at = input.at ?? new Date();
	const direction = input.direction ?? 'inbound';
	const [call] = await db
		.insert(calls)
		.values({
			callSid: `CA${randomBytes(16).toString('hex')}`,
			direction,
			customerId: input.customerId ?? null,
			agentId: input.agentId ?? null,
			queue: input.queue ?? null,
			fromE164: direction === 'inbound' ? (input.phone ?? null) : null,
			toE164: direction === 'outbound' ? (input.phone ?? null) : null,
			status: 'completed',
			statusRank: 3,
			outcome: input.kind === 'voicemail' ? 'voicemail' : 'answered',
			receivedAt: at,
			recordingSid: `RE${randomBytes(16).toString('hex')}`,
			recordingStatus: 'stored'
		})
		.returning({ id: calls.id, recordingSid: calls.recordingSid });
	if (!call?.recordingSid) throw new Error('insertTranscribedCall: no call row');
	const segments = input.lines.map((line, i): TranscriptLine =>
		Array.isArray(line) ? { speaker: line[0], start: i * 5, end: i * 5 + 4.5, text: line[1] } : line
	);
	await db.insert(callTranscripts).values({
		callId: call.id,
		recordingSid: call.recordingSid,
		kind: input.kind ?? 'call',
		customerId: input.customerId ?? null,
		agentId: input.agentId ?? null,
		queue: input.queue ?? null,
		direction,
		occurredAt: at,
		status: 'done',
		engine: 'test',
		model: 'test',
		language: 'en',
		text: segments.map((s) => s.text).join('\n'),
		segments
	});
	return call.id;
}

let phoneCounter = 0;

/** A text in its own thread (customer number made up); returns the message and thread ids. */
export async function insertText(
	db: Db,
	input: { body: string; customerId?: string | null; authorId?: string | null; direction?: 'inbound' | 'outbound'; ourPhone?: string; at?: Date }
): Promise<{ messageId: string; threadId: string }> {
	phoneCounter += 1;
	const customerPhone = `+1212555${String(1000 + (phoneCounter % 9000)).padStart(4, '0')}`;
	const ourPhone = input.ourPhone ?? '+14155550100';
	const direction = input.direction ?? 'inbound';
	const [thread] = await db
		.insert(smsThreads)
		.values({ customerPhone, ourPhone, customerId: input.customerId ?? null })
		.onConflictDoUpdate({ target: [smsThreads.customerPhone, smsThreads.ourPhone], set: { customerId: input.customerId ?? null } })
		.returning({ id: smsThreads.id });
	if (!thread) throw new Error('insertText: no thread row');
	const [message] = await db
		.insert(smsMessages)
		.values({
			threadId: thread.id,
			messageSid: `SM${randomBytes(16).toString('hex')}`,
			direction,
			fromPhone: direction === 'inbound' ? customerPhone : ourPhone,
			toPhone: direction === 'inbound' ? ourPhone : customerPhone,
			body: input.body,
			status: direction === 'inbound' ? 'received' : 'delivered',
			authorId: input.authorId ?? null,
			createdAt: input.at ?? new Date()
		})
		.returning({ id: smsMessages.id });
	if (!message) throw new Error('insertText: no message row');
	return { messageId: message.id, threadId: thread.id };
}
