/** What the transfer use-cases take, and the context every move's effects run in. */
import { eq } from 'drizzle-orm';
import type { Doc } from '$convex/_generated/dataModel';
import type { BroadcastPort } from '../adapters/broadcast/port';
import type { Db } from '../db/client';
import { voiceQueues } from '../db/schema/calls';
import { findVoiceQueue } from '../calls/find-voice-queue';
import { FALLBACK_QUEUE } from '../calls/routing-twiml';
import type { Config } from '../env';
import type { HotState } from '../live/hot';
import type { Jobs } from '../jobs/jobs';
import type { CarryOutContext, TransferCarrier } from './transfer-carrier';

/** Seconds an offer rings before it times out (the softphone counts down to it). */
export const OFFER_SECONDS = 30;

export interface TransferDeps {
	db: Db;
	hot: HotState;
	broadcast: BroadcastPort;
	carrier: TransferCarrier;
	config: Pick<Config, 'outbound'>;
	offerSeconds?: number;
	/** For the end of the first agent's wrap-up after a hand-off; without it their form (or Ready now) ends it. */
	jobs?: Pick<Jobs, 'enqueue'>;
}

export async function queueByName(db: Db, name: string): Promise<{ queueName: string; requiredSkills: string[]; number: string } | null> {
	const [q] = await db
		.select({ queueName: voiceQueues.name, requiredSkills: voiceQueues.requiredSkills, number: voiceQueues.number })
		.from(voiceQueues)
		.where(eq(voiceQueues.name, name))
		.limit(1);
	return q ?? null;
}

export async function effectsContext(deps: TransferDeps, row: Doc<'transfer_queue'>): Promise<CarryOutContext> {
	// An outbound call has no queue of its own: the queue of our number it went out on.
	const original = row.originalQueue
		? await queueByName(deps.db, row.originalQueue)
		: row.ourNumber
			? await findVoiceQueue(deps.db, row.ourNumber).then((q) => (q ? { queueName: q.name, requiredSkills: q.requiredSkills, number: q.number } : null))
			: null;
	const target = row.toQueue ? await queueByName(deps.db, row.toQueue) : null;
	return {
		carrier: deps.carrier,
		hot: deps.hot,
		ourNumber: row.ourNumber ?? original?.number ?? '',
		original: { queueName: original?.queueName ?? row.originalQueue ?? FALLBACK_QUEUE, requiredSkills: original?.requiredSkills ?? [] },
		...(target ? { target: { queueName: target.queueName, requiredSkills: target.requiredSkills } } : {}),
		offerSeconds: deps.offerSeconds ?? OFFER_SECONDS
	};
}
