/** Picks the storage adapter from validated config: S3, or files under `${DATA_DIR}/files`. */
import path from 'node:path';
import type { Config } from '../../env';
import { LocalStorage } from './local';
import type { StoragePort } from './port';
import { S3Storage } from './s3';

export type * from './port';
export { LocalStorage } from './local';
export { S3Storage } from './s3';
export { serveLocalFile } from './serve-local-file';

export function createStorage(config: Config): StoragePort {
	const s = config.storage;
	if (s.adapter === 's3') {
		const { adapter: _adapter, ...settings } = s;
		return new S3Storage(settings);
	}
	if (!config.authSecret) throw new Error('Local storage signs file URLs with AUTH_SECRET: pass the config through resolveLocalSecrets first.');
	return new LocalStorage({ root: path.join(config.dataDir, 'files'), secret: config.authSecret, publicBaseUrl: config.publicBaseUrl });
}
