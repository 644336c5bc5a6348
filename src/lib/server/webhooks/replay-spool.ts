/**
 * Replays the webhook spool (spool.ts) through the normal handlers once the archive answers
 * again: an inbound text through the inbound SMS use case (a STOP lands in the consent ledger),
 * a call into the call archive (calls/archive-fallback-call.ts). Both are idempotent on the
 * carrier's sid, so a replay after a crash, a second replay, or a primary delivery that did
 * commit changes nothing. A file is removed only after its replay committed; the first failure
 * stops the pass (the archive is still down), and the timer tries again later.
 */
import { rename } from 'node:fs/promises';
import { ZodError } from 'zod';
import type { Config } from '../env';
import { logger } from '../log';
import { acceptInboundSms, type SmsWebhookServices } from '../sms/sms-webhooks';
import { ZInboundSmsRequest } from '../sms/sms-params';
import { archiveFallbackCall } from '../calls/archive-fallback-call';
import { readSpool, removeSpooled, spoolDir, type SpooledDelivery } from './spool';
import { ZVoiceRequest } from './voice-params';

export type ReplaySpoolServices = SmsWebhookServices & { config: Pick<Config, 'publicBaseUrl' | 'dataDir'> };

export interface ReplayReport {
	replayed: number;
	/** Left for the next pass (the archive is still down, or the file is unreadable). */
	left: number;
}

const log = logger('webhooks');

async function replayOne(services: ReplaySpoolServices, delivery: SpooledDelivery): Promise<void> {
	if (delivery.kind === 'sms.inbound') {
		await acceptInboundSms(services, ZInboundSmsRequest.parse(delivery.params));
		return;
	}
	const errorCode = typeof delivery.params.ErrorCode === 'string' ? delivery.params.ErrorCode : null;
	await archiveFallbackCall(services.db, { call: ZVoiceRequest.parse(delivery.params), errorCode, receivedAt: new Date(delivery.receivedAt) });
}

/** One pass over the spool, oldest first. */
export async function replaySpool(services: ReplaySpoolServices): Promise<ReplayReport> {
	const spooled = await readSpool(spoolDir(services.config));
	let replayed = 0;
	for (const entry of spooled) {
		const { file, delivery } = entry;
		try {
			await replayOne(services, delivery);
		} catch (error) {
			if (error instanceof ZodError) {
				// Never replayable: set aside (kept, for an operator) so it does not hold back the rest.
				log.error('webhook spool: a spooled delivery does not parse; set aside', { file, error: String(error) });
				await rename(file, `${file}.rejected`);
				continue;
			}
			log.warn('webhook spool: replay failed; trying again later', { kind: delivery.kind, sid: delivery.sid, error: String(error) });
			return { replayed, left: spooled.length - spooled.indexOf(entry) };
		}
		await removeSpooled(file);
		replayed += 1;
		log.info('webhook spool: replayed a delivery the fallback kept', { kind: delivery.kind, sid: delivery.sid });
	}
	return { replayed, left: 0 };
}

/** Replay the spool now and every `everyMs`, one pass at a time; returns the stop function. */
export function startSpoolReplayer(services: ReplaySpoolServices, everyMs = 15_000): () => Promise<void> {
	let running: Promise<unknown> = Promise.resolve();
	let busy = false;
	const pass = () => {
		if (busy) return;
		busy = true;
		running = replaySpool(services)
			.catch((error: unknown) => log.error('webhook spool: could not read the spool', { error: String(error) }))
			.finally(() => (busy = false));
	};
	pass();
	const timer = setInterval(pass, everyMs);
	timer.unref();
	return async () => {
		clearInterval(timer);
		await running;
	};
}
