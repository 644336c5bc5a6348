/**
 * Create or edit a queue and its number. The call path keeps each number's queue for a few
 * seconds (findVoiceQueueCached); saving clears that copy, so a saved change applies to this
 * server's next call. Duplicate numbers and
 * skills outside the catalog are refused; the row and its audit are written together. A queue
 * is not renamed while callers wait in it or ring an agent from it: they would be left in a line
 * no agent serves (the admin is told how many, to try again when it is empty).
 */
import { eq, inArray } from 'drizzle-orm';
import { normalizePhone } from '../crm/normalize-phone';
import type { Db, Tx } from '../db/client';
import { skills } from '../db/schema/staff';
import { voiceQueues } from '../db/schema/calls';
import { AppError, badRequest, notFound } from '../errors';
import { forgetVoiceQueues, type VoiceQueue } from '../calls/find-voice-queue';
import { api } from '$convex/_generated/api';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';
import { recordAdminAudit, type AdminActor } from './audit';
import type { TSaveVoiceQueueRequest } from './voice-queue-input';

export async function saveVoiceQueue(db: Db, hot: HotState, actor: AdminActor, request: TSaveVoiceQueueRequest): Promise<VoiceQueue> {
	const input = request.queue;
	const number = normalizePhone(input.number).e164;
	const requiredSkills = [...new Set(input.requiredSkills)].sort();
	const values = { ...input, number, requiredSkills };

	const saved = await db.transaction(async (tx) => {
		if (requiredSkills.length > 0) {
			const known = new Set((await tx.select({ id: skills.id }).from(skills).where(inArray(skills.id, requiredSkills))).map((s) => s.id));
			const unknown = requiredSkills.filter((s) => !known.has(s));
			if (unknown.length > 0) throw badRequest('UNKNOWN_SKILL', `Unknown skill ${unknown.map((s) => `"${s}"`).join(', ')}: add it to the skill catalog first.`);
		}
		const before = request.originalNumber === null ? null : await lockQueue(tx, request.originalNumber);
		if (request.originalNumber !== null && !before) throw notFound('QUEUE_NOT_FOUND', `No queue answers ${request.originalNumber}.`);
		if (before && before.name !== values.name) {
			const waiting = await hot.query(api.callLine.callersWaitingIn, { queueName: before.name }, SYSTEM_IDENTITY);
			if (waiting > 0) {
				const who = waiting === 1 ? '1 caller is' : `${waiting} callers are`;
				throw new AppError('CONFLICT', 'QUEUE_HAS_CALLERS', `${who} waiting in or ringing from queue ${before.name}; rename it when nobody is waiting (the wallboard shows its line).`);
			}
		}
		if (!before || before.number !== number) {
			const [taken] = await tx.select({ name: voiceQueues.name }).from(voiceQueues).where(eq(voiceQueues.number, number));
			if (taken) throw new AppError('CONFLICT', 'NUMBER_TAKEN', `${number} already goes to queue ${taken.name}; edit that queue or choose another number.`);
		}
		const [saved] = before
			? await tx.update(voiceQueues).set(values).where(eq(voiceQueues.number, before.number)).returning()
			: await tx.insert(voiceQueues).values(values).returning();
		if (!saved) throw new Error(`saving queue ${number} returned no row`);
		await recordAdminAudit(tx, actor, {
			action: before ? 'voice_queue.update' : 'voice_queue.create',
			entity: 'voice_queue',
			entityId: saved.number,
			before,
			after: saved
		});
		return saved;
	});
	forgetVoiceQueues(db);
	return saved;
}

async function lockQueue(tx: Tx, number: string): Promise<VoiceQueue | null> {
	const [row] = await tx.select().from(voiceQueues).where(eq(voiceQueues.number, number)).for('update');
	return row ?? null;
}
