/**
 * Object key and signed-URL option rules both storage adapters enforce, so a key that works
 * locally works on S3 and no key can climb out of the local files folder.
 */
import { badRequest } from '../../errors';
import type { SignedUrlOptions } from './port';

function isControl(ch: string): boolean {
	const code = ch.charCodeAt(0);
	return code < 32 || code === 127;
}

export function assertValidKey(key: string): void {
	const problem =
		typeof key !== 'string' || key.length === 0
			? 'is empty'
			: key.length > 1024
				? 'is longer than 1024 characters'
				: key.startsWith('/') || /^[a-zA-Z]:/.test(key)
					? 'is an absolute path'
					: key.includes('\\')
						? 'contains a backslash'
						: [...key].some(isControl)
							? 'contains a control character'
							: key.split('/').some((s) => s === '' || s === '.' || s === '..')
								? 'has an empty, "." or ".." segment'
								: null;
	if (problem) {
		throw badRequest('INVALID_STORAGE_KEY', `Storage key ${JSON.stringify(key)} ${problem}; use relative keys like recordings/2025/RE123.wav.`);
	}
}

export function assertValidSignedUrlOptions(options: SignedUrlOptions): void {
	if (!Number.isInteger(options.expiresInSeconds) || options.expiresInSeconds < 1 || options.expiresInSeconds > 604_800) {
		throw badRequest('INVALID_URL_LIFETIME', 'A signed URL lives between 1 and 604800 seconds.');
	}
}

function encodeRfc5987(value: string): string {
	return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment` Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(downloadName: string): string {
	const clean =
		[...downloadName]
			.map((ch) => (isControl(ch) || ch === '/' || ch === '\\' ? '_' : ch))
			.join('')
			.trim() || 'download';
	const ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(clean)}`;
}

/** Percent-encode each segment of a key for use in a URL path. */
export function encodeKeyPath(key: string): string {
	return key.split('/').map(encodeURIComponent).join('/');
}
