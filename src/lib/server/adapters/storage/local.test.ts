import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageContract } from './contract';
import { LocalStorage } from './local';
import { serveLocalFile } from './serve-local-file';

const BASE = 'http://localhost:3000';

/** What src/routes/files/[...key] does: SvelteKit hands it the decoded key. */
function fetchThroughRoute(storage: LocalStorage, url: string, range: string | null = null): Promise<Response> {
	const u = new URL(url);
	const key = decodeURIComponent(u.pathname.replace(/^\/files\//, ''));
	return serveLocalFile(storage, key, u, range);
}

storageContract('local files', async () => {
	const root = await mkdtemp(path.join(tmpdir(), 'sb-storage-'));
	const port = new LocalStorage({ root, secret: 'test-secret-test-secret-test-secret', publicBaseUrl: BASE });
	return { port, fetchSigned: (url) => fetchThroughRoute(port, url), close: () => rm(root, { recursive: true, force: true }) };
});

describe('LocalStorage signed URLs', () => {
	let root: string;
	let now = Date.parse('2025-03-01T12:00:00Z');
	let storage: LocalStorage;
	beforeAll(async () => {
		root = await mkdtemp(path.join(tmpdir(), 'sb-storage-'));
		storage = new LocalStorage({ root, secret: 'test-secret-test-secret-test-secret', publicBaseUrl: `${BASE}/`, now: () => new Date(now) });
		await storage.put('recordings/RE9 final.wav', new TextEncoder().encode('0123456789'), 'audio/x-wav');
	});
	afterAll(() => rm(root, { recursive: true, force: true }));

	it('has the /files/<key>?exp=&sig= shape with the key percent-encoded', async () => {
		const url = await storage.signedUrl('recordings/RE9 final.wav', { expiresInSeconds: 60 });
		expect(url).toMatch(new RegExp(`^${BASE}/files/recordings/RE9%20final\\.wav\\?exp=${Date.parse('2025-03-01T12:01:00Z') / 1000}&sig=[\\w-]{43}$`));
	});

	it('answers 403 with a reason for expired, altered or unsigned links', async () => {
		const url = await storage.signedUrl('recordings/RE9 final.wav', { expiresInSeconds: 60, downloadName: 'call.wav' });
		expect((await fetchThroughRoute(storage, url)).status).toBe(200);

		const altered = await fetchThroughRoute(storage, url.replace('dl=call.wav', 'dl=other.wav'));
		expect(altered.status).toBe(403);
		expect(await altered.text()).toContain('signature does not match');

		const otherKey = await fetchThroughRoute(storage, url.replace('RE9%20final', 'RE8%20final'));
		expect(otherKey.status).toBe(403);

		const unsigned = await fetchThroughRoute(storage, `${BASE}/files/recordings/RE9%20final.wav`);
		expect(unsigned.status).toBe(403);
		expect(await unsigned.text()).toContain('needs its exp and sig');

		now += 61_000;
		const expired = await fetchThroughRoute(storage, url);
		expect(expired.status).toBe(403);
		expect(await expired.text()).toContain('expired');
		now -= 61_000;
	});

	it('rejects a link whose signature was made with another secret', async () => {
		const other = new LocalStorage({ root, secret: 'another-secret', publicBaseUrl: BASE, now: () => new Date(now) });
		const url = await other.signedUrl('recordings/RE9 final.wav', { expiresInSeconds: 60 });
		expect((await fetchThroughRoute(storage, url)).status).toBe(403);
	});

	it('serves byte ranges so audio players can seek', async () => {
		const url = await storage.signedUrl('recordings/RE9 final.wav', { expiresInSeconds: 60 });
		const part = await fetchThroughRoute(storage, url, 'bytes=2-5');
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
		expect(await part.text()).toBe('2345');
		expect(await (await fetchThroughRoute(storage, url, 'bytes=-3')).text()).toBe('789');
		expect((await fetchThroughRoute(storage, url, 'bytes=20-')).status).toBe(416);
		const whole = await fetchThroughRoute(storage, url);
		expect(whole.headers.get('content-security-policy')).toBe('sandbox');
		expect(whole.headers.get('content-length')).toBe('10');
	});

	it('answers 404 for a validly signed link to a deleted file', async () => {
		await storage.put('tmp/gone.txt', new TextEncoder().encode('x'), 'text/plain');
		const url = await storage.signedUrl('tmp/gone.txt', { expiresInSeconds: 60 });
		await storage.delete('tmp/gone.txt');
		expect((await fetchThroughRoute(storage, url)).status).toBe(404);
	});

	it('keeps every file inside its root and leaves no temporary files', async () => {
		await storage.put('a/b/c.txt', new TextEncoder().encode('x'), 'text/plain');
		expect(await readdir(path.join(root, 'objects', 'a', 'b'))).toEqual(['c.txt']);
		expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
	});
});
