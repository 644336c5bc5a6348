/**
 * Answers a GET for a local signed file URL: checks signature and expiry, then streams the
 * file with its stored content type, honouring a single byte Range so audio players can seek.
 * The SvelteKit route in src/routes/files is a thin wrapper around this.
 */
import { AppError } from '../../errors';
import { contentDisposition } from './keys';
import type { LocalStorage } from './local';

const REASONS = {
	missing: 'This file link is incomplete: it needs its exp and sig parameters. Ask the app for a new link.',
	invalid: 'This file link is not valid: its signature does not match. Ask the app for a new link.',
	expired: 'This file link has expired. Ask the app for a new link.'
} as const;

function text(status: number, message: string, headers: Record<string, string> = {}): Response {
	return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

function parseRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
	if (!header) return null;
	const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!m || (m[1] === '' && m[2] === '')) return null;
	let start: number;
	let end: number;
	if (m[1] === '') {
		start = Math.max(0, size - Number(m[2]));
		end = size - 1;
	} else {
		start = Number(m[1]);
		end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
	}
	if (start > end || start >= size) return 'unsatisfiable';
	return { start, end };
}

export async function serveLocalFile(storage: LocalStorage, key: string, url: URL, rangeHeader: string | null = null): Promise<Response> {
	const check = storage.verifySignedRequest(key, url.searchParams);
	if (!check.ok) return text(403, REASONS[check.reason]);
	let info;
	try {
		info = await storage.head(key);
	} catch (err) {
		if (err instanceof AppError) return text(400, err.message);
		throw err;
	}
	if (!info) return text(404, 'No file is stored under this link any more.');
	const headers: Record<string, string> = {
		'content-type': info.contentType,
		'accept-ranges': 'bytes',
		'last-modified': info.lastModified.toUTCString(),
		'cache-control': 'private, max-age=60',
		// Uploaded files are served from the app's origin: never let one run as a page.
		'content-security-policy': 'sandbox',
		'x-content-type-options': 'nosniff'
	};
	if (check.downloadName) headers['content-disposition'] = contentDisposition(check.downloadName);
	const range = parseRange(rangeHeader, info.size);
	if (range === 'unsatisfiable') return text(416, 'Requested range is outside the file.', { 'content-range': `bytes */${info.size}` });
	if (range) {
		headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
		headers['content-length'] = String(range.end - range.start + 1);
		return new Response(storage.openStream(key, range), { status: 206, headers });
	}
	headers['content-length'] = String(info.size);
	return new Response(info.size === 0 ? null : storage.openStream(key), { status: 200, headers });
}
