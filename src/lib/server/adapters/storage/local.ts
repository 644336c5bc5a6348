/**
 * The storage twin: objects as files under one folder (`<root>/objects/<key>`, with the
 * content type beside them in `<root>/meta/<key>.json`), and signed URLs the app itself
 * serves at `/files/<key>?exp=<unix seconds>&sig=<HMAC>` (see src/routes/files).
 *
 * The signature is base64url HMAC-SHA256, keyed by the app's auth secret, over
 * `files\n<key>\n<exp>\n<download name or empty>`, so neither the key, the expiry nor the
 * download name can be changed without breaking it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { assertValidKey, assertValidSignedUrlOptions, encodeKeyPath } from './keys';
import type { SignedUrlOptions, StoragePort, StoredObject, StoredObjectInfo } from './port';

export interface LocalStorageOptions {
	/** Folder that holds the files (the app uses `${DATA_DIR}/files`). */
	root: string;
	/** HMAC key for signed URLs (the app's auth secret). */
	secret: string;
	/** Origin signed URLs point at (the app's public base URL). */
	publicBaseUrl: string;
	/** Clock, for tests. */
	now?: () => Date;
}

export type SignedRequestCheck = { ok: true; downloadName: string | null } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

interface Meta {
	contentType: string;
}

export class LocalStorage implements StoragePort {
	readonly kind = 'local';
	readonly root: string;
	readonly #secret: string;
	readonly #base: string;
	readonly #now: () => Date;

	constructor(options: LocalStorageOptions) {
		if (!options.secret) throw new Error('LocalStorage needs a secret to sign URLs');
		this.root = path.resolve(options.root);
		this.#secret = options.secret;
		this.#base = options.publicBaseUrl.replace(/\/+$/, '');
		this.#now = options.now ?? (() => new Date());
	}

	#objectPath(key: string): string {
		assertValidKey(key);
		return path.join(this.root, 'objects', ...key.split('/'));
	}

	#metaPath(key: string): string {
		return `${path.join(this.root, 'meta', ...key.split('/'))}.json`;
	}

	async put(key: string, body: Uint8Array, contentType: string): Promise<StoredObjectInfo> {
		const file = this.#objectPath(key);
		const meta = this.#metaPath(key);
		const tmpDir = path.join(this.root, 'tmp');
		await Promise.all([mkdir(path.dirname(file), { recursive: true }), mkdir(path.dirname(meta), { recursive: true }), mkdir(tmpDir, { recursive: true })]);
		// Write then rename, so a reader never sees half a file.
		const tmp = path.join(tmpDir, randomBytes(8).toString('hex'));
		await writeFile(`${tmp}.meta`, JSON.stringify({ contentType } satisfies Meta));
		await writeFile(tmp, body);
		await rename(`${tmp}.meta`, meta);
		await rename(tmp, file);
		const info = await stat(file);
		return { key, size: info.size, contentType, lastModified: info.mtime };
	}

	async head(key: string): Promise<StoredObjectInfo | null> {
		const file = this.#objectPath(key);
		try {
			const [info, meta] = await Promise.all([stat(file), readFile(this.#metaPath(key), 'utf8')]);
			if (!info.isFile()) return null;
			return { key, size: info.size, contentType: (JSON.parse(meta) as Meta).contentType, lastModified: info.mtime };
		} catch (err) {
			if (isMissing(err)) return null;
			throw err;
		}
	}

	async get(key: string): Promise<StoredObject | null> {
		const info = await this.head(key);
		if (!info) return null;
		try {
			return { ...info, body: new Uint8Array(await readFile(this.#objectPath(key))) };
		} catch (err) {
			if (isMissing(err)) return null;
			throw err;
		}
	}

	async exists(key: string): Promise<boolean> {
		return (await this.head(key)) !== null;
	}

	async delete(key: string): Promise<void> {
		const file = this.#objectPath(key);
		await rm(file, { force: true });
		await rm(this.#metaPath(key), { force: true });
	}

	signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
		return Promise.resolve().then(() => {
			assertValidKey(key);
			assertValidSignedUrlOptions(options);
			const exp = Math.floor(this.#now().getTime() / 1000) + options.expiresInSeconds;
			const query = new URLSearchParams({ exp: String(exp) });
			if (options.downloadName) query.set('dl', options.downloadName);
			query.set('sig', this.#sign(key, exp, options.downloadName ?? ''));
			return `${this.#base}/files/${encodeKeyPath(key)}?${query.toString()}`;
		});
	}

	#sign(key: string, exp: number, downloadName: string): string {
		return createHmac('sha256', this.#secret).update(`files\n${key}\n${exp}\n${downloadName}`).digest('base64url');
	}

	/** Check the `exp`, `sig` and `dl` query of a `/files/<key>` request against the (decoded) key. */
	verifySignedRequest(key: string, query: URLSearchParams): SignedRequestCheck {
		const exp = query.get('exp');
		const sig = query.get('sig');
		if (!exp || !sig) return { ok: false, reason: 'missing' };
		if (!/^\d{1,12}$/.test(exp)) return { ok: false, reason: 'invalid' };
		const downloadName = query.get('dl');
		const expected = Buffer.from(this.#sign(key, Number(exp), downloadName ?? ''));
		const given = Buffer.from(sig);
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
		if (Number(exp) * 1000 <= this.#now().getTime()) return { ok: false, reason: 'expired' };
		return { ok: true, downloadName };
	}

	/** Stream the object's bytes `[start, end]` (inclusive; the whole file by default). */
	openStream(key: string, range?: { start: number; end: number }): ReadableStream<Uint8Array> {
		const stream = createReadStream(this.#objectPath(key), range ? { start: range.start, end: range.end } : {});
		return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
	}
}

function isMissing(err: unknown): boolean {
	const code = (err as { code?: unknown } | null)?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}
