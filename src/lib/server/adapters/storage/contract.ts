/**
 * The behaviour every storage adapter owes the domain, as one suite. Run against local files
 * and against S3Storage talking to a fake S3 on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { AdapterError } from '../errors';
import type { FaultQueue } from '../test-http-server';
import type { StoragePort } from './port';

/** What a fake S3 can answer instead of its normal reply (S3's own error XML for the refusals). */
export type StorageFault = 'throttle' | 'server-error' | 'stall' | 'access-denied' | 'no-such-bucket';

export interface StorageFixture {
	port: StoragePort;
	/** GET a signed URL the way a browser would (locally: through the /files handler). */
	fetchSigned(url: string): Promise<Response>;
	/** A real adapter's fake vendor: faults to serve, and how many requests it has seen. */
	vendor?: { faults: FaultQueue<StorageFault>; requestCount(): number };
	close?(): Promise<void>;
}

const bytes = (s: string) => new TextEncoder().encode(s);

/** The vendor failures a real adapter must survive or report; needs `fixture.vendor`. */
function vendorFaultCases(get: () => StorageFixture): void {
	const vendor = () => get().vendor!;
	const port = () => get().port;

	it('retries a throttled request (429 with Retry-After) and then succeeds', async () => {
		const before = vendor().requestCount();
		vendor().faults.inject('throttle');
		await expect(port().put('faults/throttled.txt', bytes('ok'), 'text/plain')).resolves.toMatchObject({ size: 2 });
		expect(vendor().requestCount() - before).toBe(2);
	});

	it('retries a 5xx and then succeeds', async () => {
		await port().put('faults/5xx.txt', bytes('still here'), 'text/plain');
		vendor().faults.inject('server-error');
		expect((await port().get('faults/5xx.txt'))?.body).toEqual(bytes('still here'));
	});

	it('gives up on a stalled response with a retryable error instead of hanging', async () => {
		vendor().faults.inject('stall', 'stall', 'stall', 'stall');
		const err = await port().head('faults/stalled.txt').catch((e: unknown) => e);
		vendor().faults.clear();
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ retryable: true, port: 'storage' });
	});

	it('reports a missing bucket as an error, never as a missing object', async () => {
		vendor().faults.inject('no-such-bucket');
		await expect(port().get('faults/any.txt')).rejects.toMatchObject({ vendorCode: 'NoSuchBucket', status: 404, retryable: false });
		vendor().faults.inject('no-such-bucket');
		await expect(port().delete('faults/any.txt')).rejects.toMatchObject({ vendorCode: 'NoSuchBucket' });
	});

	it('reports a refused permission as an error, never as a missing object', async () => {
		vendor().faults.inject('access-denied');
		await expect(port().get('faults/any.txt')).rejects.toMatchObject({ vendorCode: 'AccessDenied', status: 403, retryable: false });
		vendor().faults.inject('access-denied');
		await expect(port().head('faults/any.txt')).rejects.toMatchObject({ status: 403, retryable: false });
		vendor().faults.inject('access-denied');
		await expect(port().exists('faults/any.txt')).rejects.toBeInstanceOf(AdapterError);
	});
}

export function storageContract(name: string, create: () => Promise<StorageFixture>, options: { vendorFaults?: boolean } = {}): void {
	describe(`StoragePort contract: ${name}`, () => {
		let fixture: StorageFixture;
		let port: StoragePort;
		beforeAll(async () => {
			fixture = await create();
			port = fixture.port;
		});
		afterAll(async () => {
			await fixture.close?.();
		});

		it('stores bytes and reads them back with their content type', async () => {
			const info = await port.put('recordings/2025/01/RE1.wav', bytes('RIFF....WAVE'), 'audio/x-wav');
			expect(info).toMatchObject({ key: 'recordings/2025/01/RE1.wav', size: 12, contentType: 'audio/x-wav' });
			const got = await port.get('recordings/2025/01/RE1.wav');
			expect(got?.body).toEqual(bytes('RIFF....WAVE'));
			expect(got).toMatchObject({ size: 12, contentType: 'audio/x-wav' });
			expect(got?.lastModified).toBeInstanceOf(Date);
			expect(await port.head('recordings/2025/01/RE1.wav')).toMatchObject({ size: 12, contentType: 'audio/x-wav' });
			expect(await port.exists('recordings/2025/01/RE1.wav')).toBe(true);
		});

		it('replaces an object stored under the same key', async () => {
			await port.put('media/MM1/0.txt', bytes('first'), 'text/plain');
			await port.put('media/MM1/0.txt', bytes('second!'), 'text/markdown');
			expect(await port.get('media/MM1/0.txt')).toMatchObject({ body: bytes('second!'), contentType: 'text/markdown', size: 7 });
		});

		it('answers null for a key that holds nothing, and deletes idempotently', async () => {
			expect(await port.get('nothing/here.bin')).toBeNull();
			expect(await port.head('nothing/here.bin')).toBeNull();
			expect(await port.exists('nothing/here.bin')).toBe(false);
			await port.put('exports/report.csv', bytes('a,b\n'), 'text/csv');
			await port.delete('exports/report.csv');
			expect(await port.exists('exports/report.csv')).toBe(false);
			await expect(port.delete('exports/report.csv')).resolves.toBeUndefined();
		});

		it('keeps keys with spaces and non-ASCII characters', async () => {
			const key = 'voicemail/Zoë Müller/greeting 1.mp3';
			await port.put(key, bytes('ID3'), 'audio/mpeg');
			expect((await port.get(key))?.body).toEqual(bytes('ID3'));
		});

		it('rejects keys that are absolute or climb out of the store', async () => {
			for (const key of ['../etc/passwd', 'a/../../b', '/etc/passwd', 'a//b', 'a/./b', 'a\\b', '', 'C:/x', 'a\nb']) {
				await expect(port.put(key, bytes('x'), 'text/plain'), key).rejects.toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_STORAGE_KEY' });
				await expect(port.get(key), key).rejects.toBeInstanceOf(AppError);
				await expect(port.signedUrl(key, { expiresInSeconds: 60 }), key).rejects.toBeInstanceOf(AppError);
			}
		});

		it('serves an object through a short-lived signed URL', async () => {
			await port.put('recordings/RE2.wav', bytes('audio-bytes'), 'audio/x-wav');
			const url = await port.signedUrl('recordings/RE2.wav', { expiresInSeconds: 300 });
			expect(() => new URL(url)).not.toThrow();
			const res = await fixture.fetchSigned(url);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('audio/x-wav');
			expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes('audio-bytes'));
		});

		it('asks the browser to download under the given name', async () => {
			await port.put('exports/q1.csv', bytes('x,y\n'), 'text/csv');
			const url = await port.signedUrl('exports/q1.csv', { expiresInSeconds: 60, downloadName: 'Q1 calls.csv' });
			const res = await fixture.fetchSigned(url);
			expect(res.headers.get('content-disposition')).toContain('attachment; filename="Q1 calls.csv"');
		});

		it('refuses a signed URL lifetime outside 1 to 604800 seconds', async () => {
			await expect(port.signedUrl('exports/q1.csv', { expiresInSeconds: 0 })).rejects.toMatchObject({ code: 'INVALID_URL_LIFETIME' });
			await expect(port.signedUrl('exports/q1.csv', { expiresInSeconds: 604_801 })).rejects.toMatchObject({ code: 'INVALID_URL_LIFETIME' });
		});

		if (options.vendorFaults) describe('when the vendor fails', () => vendorFaultCases(() => fixture));
	});
}
