/** What the voice use-cases need from the composition root (a subset of Services, so tests build it from pieces). */
import type { TelephonyPort } from '../adapters/telephony/port';
import type { Db } from '../db/client';
import type { Config } from '../env';
import type { Jobs } from '../jobs/jobs';
import type { HotState } from '../live/hot';

export interface VoiceServices {
	/** dataDir: the voice fallback route spools there (webhooks/spool.ts). */
	/** outbound: the outbound gate's rules and clock (outbound/). */
	/** liveTranscription: whether call TwiML starts a live transcription (live-transcription-twiml.ts). */
	config: Pick<Config, 'publicBaseUrl' | 'declineSetsAgent' | 'dataDir' | 'outbound' | 'liveTranscription'>;
	db: Db;
	hot: HotState;
	adapters: { telephony: TelephonyPort };
	/** Slow work (recording fetch) is queued inside the webhook's transaction. */
	jobs: Pick<Jobs, 'enqueue'>;
}
