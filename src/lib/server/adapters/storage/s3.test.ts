import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdapterError } from '../errors';
import { FaultQueue, stall, startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from '../test-http-server';
import { storageContract, type StorageFault } from './contract';
import { S3Storage } from './s3';

const BUCKET = 'switchboard-test';

/** S3's error document, as S3 sends it with a 4xx/5xx. */
function s3Error(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'application/xml', ...headers });
	res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`);
}

/** HEAD responses carry no body, so S3 can only say it with the status (NotFound, Forbidden). */
function serveFault(fault: StorageFault, req: RecordedRequest, res: ServerResponse): void {
	const head = req.method === 'HEAD';
	switch (fault) {
		case 'stall':
			return stall(res);
		case 'throttle':
			return s3Error(res, 429, 'SlowDown', 'Please reduce your request rate.', {
				'retry-after': '1'
			});
		case 'server-error':
			return s3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
		case 'access-denied':
			if (head) return void res.writeHead(403).end();
			return s3Error(res, 403, 'AccessDenied', 'Access Denied');
		case 'no-such-bucket':
			if (head) return void res.writeHead(404).end();
			return s3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
	}
}

/** Just enough of S3's REST API (path-style) to hold objects in memory, plus the faults it can serve. */
async function fakeS3(): Promise<FakeHttpServer & { faults: FaultQueue<StorageFault> }> {
	const objects = new Map<string, { body: Buffer; contentType: string; modified: Date }>();
	const faults = new FaultQueue<StorageFault>();
	const missing = (res: ServerResponse, head: boolean) => {
		if (head) return void res.writeHead(404, { 'content-type': 'application/xml' }).end();
		s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
	};
	const server = await startFakeHttpServer((req: RecordedRequest, res) => {
		const fault = faults.take();
		if (fault) return serveFault(fault, req, res);
		const prefix = `/${BUCKET}/`;
		if (req.method === 'HEAD' && (req.path === `/${BUCKET}` || req.path === prefix))
			return void res.writeHead(200, { 'x-amz-bucket-region': 'eu-west-1' }).end();
		if (!req.path.startsWith(prefix)) {
			if (req.method === 'HEAD') return void res.writeHead(404).end();
			return s3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
		}
		const key = decodeURIComponent(req.path.slice(prefix.length));
		const object = objects.get(key);
		switch (req.method) {
			case 'PUT':
				objects.set(key, {
					body: req.body,
					contentType: String(req.headers['content-type']),
					modified: new Date()
				});
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
					...(req.query.get('response-content-disposition')
						? {
								'content-disposition': req.query.get('response-content-disposition')!
							}
						: {})
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
	return Object.assign(server, { faults });
}

const settings = (endpoint: string) => ({
	bucket: BUCKET,
	region: 'eu-west-1',
	accessKeyId: 'AKIATESTKEY' as string | undefined,
	secretAccessKey: 'test-secret-key' as string | undefined,
	endpoint,
	sseKmsKeyId: undefined as string | undefined
});

storageContract(
	's3 client against a fake S3',
	async () => {
		const server = await fakeS3();
		const port = new S3Storage(settings(server.url), {
			requestTimeoutMs: 300,
			maxAttempts: 2
		});
		return {
			port,
			fetchSigned: (url) => fetch(url),
			vendor: {
				faults: server.faults,
				requestCount: () => server.requests.length
			},
			close: async () => {
				port.close();
				await server.close();
			}
		};
	},
	{ vendorFaults: true }
);

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
		expect(req.headers.authorization).toMatch(
			/^AWS4-HMAC-SHA256 Credential=AKIATESTKEY\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/
		);
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
		const url = new URL(
			await port.signedUrl('exports/q1.csv', {
				expiresInSeconds: 300,
				downloadName: 'Q1 calls.csv'
			})
		);
		expect(server.requests).toHaveLength(0);
		expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/${BUCKET}/exports/q1.csv`);
		expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
		expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
		expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIATESTKEY\//);
		expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="Q1 calls.csv"; filename*=UTF-8''Q1%20calls.csv`);
	});

	it('maps an S3 error to an AdapterError and a dead endpoint to a retryable one', async () => {
		const wrongBucket = new S3Storage({
			...settings(server.url),
			bucket: 'no-such-bucket'
		});
		const err = await wrongBucket.put('a.txt', new Uint8Array([1]), 'text/plain').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({
			port: 'storage',
			adapter: 's3',
			status: 404,
			vendorCode: 'NoSuchBucket',
			retryable: false
		});
		wrongBucket.close();

		const gone = await startFakeHttpServer(() => undefined);
		await gone.close();
		const dead = new S3Storage(settings(gone.url));
		await expect(dead.head('a.txt')).rejects.toMatchObject({
			retryable: true,
			adapter: 's3'
		});
		dead.close();
	});
});

describe('S3Storage settings', () => {
	let server: Awaited<ReturnType<typeof fakeS3>>;
	beforeAll(async () => {
		server = await fakeS3();
	});
	afterAll(() => server.close());
	afterEach(() => {
		vi.unstubAllEnvs();
		server.faults.clear();
	});

	it('puts with SSE-KMS and the key ID when S3_SSE_KMS_KEY_ID is set, and without it otherwise', async () => {
		const kmsKey = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
		const encrypted = new S3Storage({
			...settings(server.url),
			sseKmsKeyId: kmsKey
		});
		server.requests.length = 0;
		await encrypted.put('kms/a.txt', new Uint8Array([1]), 'text/plain');
		expect(server.requests[0]!.headers['x-amz-server-side-encryption']).toBe('aws:kms');
		expect(server.requests[0]!.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(kmsKey);
		encrypted.close();

		const plain = new S3Storage(settings(server.url));
		server.requests.length = 0;
		await plain.put('kms/b.txt', new Uint8Array([1]), 'text/plain');
		expect(server.requests[0]!.headers['x-amz-server-side-encryption']).toBeUndefined();
		plain.close();
	});

	it('signs with the AWS default credential chain when no keys are configured', async () => {
		vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAFROMTHECHAIN');
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'chain-secret');
		const chained = new S3Storage({
			...settings(server.url),
			accessKeyId: undefined,
			secretAccessKey: undefined
		});
		server.requests.length = 0;
		await chained.put('chain/a.txt', new Uint8Array([1]), 'text/plain');
		expect(server.requests[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFROMTHECHAIN\//);
		chained.close();
	});

	it('checks the bucket at start and says what to fix when it cannot be reached', async () => {
		const ok = new S3Storage(settings(server.url));
		server.requests.length = 0;
		await expect(ok.verify()).resolves.toBeUndefined();
		expect(`${server.requests[0]!.method} ${server.requests[0]!.path}`).toBe(`HEAD /${BUCKET}/`);
		ok.close();

		const wrong = new S3Storage({
			...settings(server.url),
			bucket: 'no-such-bucket'
		});
		await expect(wrong.verify()).rejects.toThrow(/"no-such-bucket".*does not exist: check S3_BUCKET/);
		wrong.close();

		const region = await startFakeHttpServer((_req, res) => void res.writeHead(301, { 'x-amz-bucket-region': 'us-east-2' }).end());
		const elsewhere = new S3Storage(settings(region.url), { maxAttempts: 1 });
		await expect(elsewhere.verify()).rejects.toThrow(/is in another region: set S3_REGION/);
		elsewhere.close();
		await region.close();

		const denied = new S3Storage(settings(server.url), { maxAttempts: 1 });
		server.faults.inject('access-denied');
		await expect(denied.verify()).rejects.toThrow(/refused these credentials.*s3:ListBucket/);
		denied.close();

		const gone = await startFakeHttpServer(() => undefined);
		await gone.close();
		const unreachable = new S3Storage(settings(gone.url), { maxAttempts: 1 });
		await expect(unreachable.verify()).rejects.toThrow(/could not be reached.*S3_ENDPOINT/);
		unreachable.close();
	});
});
