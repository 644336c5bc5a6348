import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors';
import { startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from '../test-http-server';
import { storageContract } from './contract';
import { S3Storage } from './s3';

const BUCKET = 'switchboard-test';

/** Just enough of S3's REST API (path-style) to hold objects in memory. */
async function fakeS3(): Promise<FakeHttpServer> {
	const objects = new Map<string, { body: Buffer; contentType: string; modified: Date }>();
	const missing = (res: ServerResponse, head: boolean) => {
		res.writeHead(404, { 'content-type': 'application/xml' });
		res.end(head ? undefined : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
	};
	return startFakeHttpServer((req: RecordedRequest, res) => {
		const prefix = `/${BUCKET}/`;
		if (!req.path.startsWith(prefix)) {
			res.writeHead(404, { 'content-type': 'application/xml' });
			res.end('<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>');
			return;
		}
		const key = decodeURIComponent(req.path.slice(prefix.length));
		const object = objects.get(key);
		switch (req.method) {
			case 'PUT':
				objects.set(key, { body: req.body, contentType: String(req.headers['content-type']), modified: new Date() });
				res.writeHead(200, { etag: '"abc"' });
				res.end();
				return;
			case 'GET':
			case 'HEAD':
				if (!object) return missing(res, req.method === 'HEAD');
				res.writeHead(200, {
					'content-type': object.contentType,
					'content-length': String(object.body.length),
					'last-modified': object.modified.toUTCString(),
					etag: '"abc"',
					...(req.query.get('response-content-disposition') ? { 'content-disposition': req.query.get('response-content-disposition')! } : {})
				});
				res.end(req.method === 'HEAD' ? undefined : object.body);
				return;
			case 'DELETE':
				objects.delete(key);
				res.writeHead(204);
				res.end();
				return;
			default:
				res.writeHead(405);
				res.end();
		}
	});
}

const settings = (endpoint: string) => ({
	bucket: BUCKET,
	region: 'eu-west-1',
	accessKeyId: 'AKIATESTKEY',
	secretAccessKey: 'test-secret-key',
	endpoint
});

storageContract('s3 client against a fake S3', async () => {
	const server = await fakeS3();
	const port = new S3Storage(settings(server.url));
	return {
		port,
		fetchSigned: (url) => fetch(url),
		close: async () => {
			port.close();
			await server.close();
		}
	};
});

describe('S3Storage requests', () => {
	let server: FakeHttpServer;
	let port: S3Storage;
	beforeAll(async () => {
		server = await fakeS3();
		port = new S3Storage(settings(server.url));
	});
	afterAll(async () => {
		port.close();
		await server.close();
	});

	it('PUTs path-style with SigV4 auth, the content type and the exact bytes', async () => {
		server.requests.length = 0;
		await port.put('recordings/RE1 a.wav', new Uint8Array([0, 1, 2, 255]), 'audio/x-wav');
		const req = server.requests[0]!;
		expect(req.method).toBe('PUT');
		expect(req.path).toBe(`/${BUCKET}/recordings/RE1%20a.wav`);
		expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTKEY\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
		expect(req.headers['content-type']).toBe('audio/x-wav');
		expect([...req.body]).toEqual([0, 1, 2, 255]);
	});

	it('sends GET, HEAD and DELETE to the object path', async () => {
		await port.put('k/1.txt', new TextEncoder().encode('x'), 'text/plain');
		server.requests.length = 0;
		await port.get('k/1.txt');
		await port.head('k/1.txt');
		await port.delete('k/1.txt');
		expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /${BUCKET}/k/1.txt`, `HEAD /${BUCKET}/k/1.txt`, `DELETE /${BUCKET}/k/1.txt`]);
	});

	it('presigns a GET with the expiry and the download disposition, without a request', async () => {
		server.requests.length = 0;
		const url = new URL(await port.signedUrl('exports/q1.csv', { expiresInSeconds: 300, downloadName: 'Q1 calls.csv' }));
		expect(server.requests).toHaveLength(0);
		expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/${BUCKET}/exports/q1.csv`);
		expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
		expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
		expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIATESTKEY\//);
		expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="Q1 calls.csv"; filename*=UTF-8''Q1%20calls.csv`);
	});

	it('maps an S3 error to an AdapterError and a dead endpoint to a retryable one', async () => {
		const wrongBucket = new S3Storage({ ...settings(server.url), bucket: 'no-such-bucket' });
		const err = await wrongBucket.put('a.txt', new Uint8Array([1]), 'text/plain').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ port: 'storage', adapter: 's3', status: 404, vendorCode: 'NoSuchBucket', retryable: false });
		wrongBucket.close();

		const gone = await startFakeHttpServer(() => undefined);
		await gone.close();
		const dead = new S3Storage(settings(gone.url));
		await expect(dead.head('a.txt')).rejects.toMatchObject({ retryable: true, adapter: 's3' });
		dead.close();
	});
});
