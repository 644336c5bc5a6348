/** Builders for quality tests: an answered call for an agent and its transcript, straight into the archive. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { callTranscripts, type TranscriptLine } from '../db/schema/transcripts';

export async function makeAnsweredCall(db: Db, agentId: string | null, input: { receivedAt?: Date; talkSeconds?: number; queue?: string } = {}): Promise<{ id: string; callSid: string }> {
	const callSid = `CA${randomBytes(16).toString('hex')}`;
	const receivedAt = input.receivedAt ?? new Date();
	const [row] = await db
		.insert(calls)
		.values({
			callSid,
			direction: 'inbound',
			fromRaw: '+12125550100',
			toRaw: '+14155550100',
			queue: input.queue ?? 'support',
			status: 'completed',
			statusRank: 3,
			outcome: agentId ? 'answered' : 'abandoned',
			agentId,
			receivedAt,
			answeredAt: agentId ? new Date(receivedAt.getTime() + 20_000) : null,
			endedAt: new Date(receivedAt.getTime() + 20_000 + (input.talkSeconds ?? 180) * 1000),
			waitSeconds: 20,
			talkSeconds: agentId ? (input.talkSeconds ?? 180) : null
		})
		.returning({ id: calls.id, callSid: calls.callSid });
	return row!;
}

/** A finished two-channel transcript for the call, as the transcription job stores it. */
export async function addTranscript(db: Db, callId: string, lines: TranscriptLine[]): Promise<void> {
	const [call] = await db.select().from(calls).where(eq(calls.id, callId));
	await db.insert(callTranscripts).values({
		callId,
		recordingSid: `RE${randomBytes(16).toString('hex')}`,
		kind: 'call',
		agentId: call!.agentId,
		queue: call!.queue,
		direction: call!.direction,
		occurredAt: call!.receivedAt,
		status: 'done',
		engine: 'local',
		language: 'en',
		text: lines.map((l) => l.text).join(' '),
		segments: lines,
		completedAt: new Date()
	});
}
