/** Builders for quality tests: an answered call for an agent, straight into the archive. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';

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
