/**
 * Every outside service behind its port, chosen from validated config (local twins by
 * default). Domain code receives `Adapters` as an argument and never imports an SDK.
 */
import type { Config } from '../env';
import { createBroadcast, type BroadcastPort } from './broadcast';
import { createLanguageAi, type LanguageAiPort } from './language-ai';
import { createSpeech, type SpeechPort } from './speech';
import { createStorage, S3Storage, type StoragePort } from './storage';
import { createTelephony, type TelephonyPort } from './telephony';

export type { BroadcastPort } from './broadcast';
export type { LanguageAiPort } from './language-ai';
export type { SpeechPort } from './speech';
export type { StoragePort } from './storage';
export type { TelephonyPort } from './telephony';
export { AdapterError } from './errors';

export interface Adapters {
	telephony: TelephonyPort;
	storage: StoragePort;
	speech: SpeechPort;
	languageAi: LanguageAiPort;
	broadcast: BroadcastPort;
	/** Close connections and engines (Ably realtime, harper, S3 sockets). */
	close(): Promise<void>;
}

/**
 * Build every port's adapter. Local twins need the secrets `resolveLocalSecrets` fills in
 * (telephony account SID and auth token, AUTH_SECRET for signed file URLs).
 */
export function createAdapters(config: Config): Promise<Adapters> {
	return Promise.resolve().then(async () => {
		const telephony = createTelephony(config);
		const storage = createStorage(config);
		if (storage instanceof S3Storage) {
			// Settings that cannot reach the bucket stop the start with what to fix, not the first recording.
			await storage.verify().catch((err: unknown) => {
				storage.close();
				throw err;
			});
		}
		const speech = createSpeech(config);
		const languageAi = createLanguageAi(config);
		const broadcast = createBroadcast(config);
		return {
			telephony,
			storage,
			speech,
			languageAi,
			broadcast,
			async close() {
				await Promise.allSettled([languageAi.close(), broadcast.close()]);
				if (storage instanceof S3Storage) storage.close();
			}
		};
	});
}
