/**
 * The production storage adapter over @aws-sdk/client-s3. With a custom endpoint (MinIO, R2,
 * a test server) it uses path-style addressing and sends checksums only where S3 requires
 * them, since many S3-compatible stores reject the newer default checksum headers.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../../env';
import { AdapterError } from '../errors';
import { assertValidKey, assertValidSignedUrlOptions, contentDisposition } from './keys';
import type { SignedUrlOptions, StoragePort, StoredObject, StoredObjectInfo } from './port';

export type S3StorageConfig = Omit<Extract<Config['storage'], { adapter: 's3' }>, 'adapter'>;

function isNotFound(err: unknown): boolean {
	if (!(err instanceof S3ServiceException)) return false;
	return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404;
}

function failure(err: unknown, action: string): AdapterError {
	if (err instanceof S3ServiceException) {
		return new AdapterError(`S3 refused to ${action}: ${err.name}${err.message && err.message !== 'UnknownError' ? ` (${err.message})` : ''}`, {
			port: 'storage',
			adapter: 's3',
			status: err.$metadata.httpStatusCode,
			vendorCode: err.name,
			cause: err
		});
	}
	const reason = err instanceof Error ? err.message : String(err);
	return new AdapterError(`S3 could not be reached to ${action}: ${reason}`, { port: 'storage', adapter: 's3', retryable: true, cause: err });
}

export class S3Storage implements StoragePort {
	readonly kind = 's3';
	readonly #bucket: string;
	readonly client: S3Client;

	constructor(config: S3StorageConfig) {
		this.#bucket = config.bucket;
		const custom = config.endpoint !== undefined;
		this.client = new S3Client({
			region: config.region,
			credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
			...(custom
				? {
						endpoint: config.endpoint,
						forcePathStyle: true,
						requestChecksumCalculation: 'WHEN_REQUIRED',
						responseChecksumValidation: 'WHEN_REQUIRED'
					}
				: {})
		});
	}

	async put(key: string, body: Uint8Array, contentType: string): Promise<StoredObjectInfo> {
		assertValidKey(key);
		try {
			await this.client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType }));
		} catch (err) {
			throw failure(err, `store ${key}`);
		}
		return { key, size: body.byteLength, contentType, lastModified: new Date() };
	}

	async get(key: string): Promise<StoredObject | null> {
		assertValidKey(key);
		try {
			const res = await this.client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
			const body = res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
			return {
				key,
				size: body.byteLength,
				contentType: res.ContentType ?? 'application/octet-stream',
				lastModified: res.LastModified ?? new Date(),
				body
			};
		} catch (err) {
			if (isNotFound(err)) return null;
			throw failure(err, `read ${key}`);
		}
	}

	async head(key: string): Promise<StoredObjectInfo | null> {
		assertValidKey(key);
		try {
			const res = await this.client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
			return {
				key,
				size: res.ContentLength ?? 0,
				contentType: res.ContentType ?? 'application/octet-stream',
				lastModified: res.LastModified ?? new Date()
			};
		} catch (err) {
			if (isNotFound(err)) return null;
			throw failure(err, `inspect ${key}`);
		}
	}

	async exists(key: string): Promise<boolean> {
		return (await this.head(key)) !== null;
	}

	async delete(key: string): Promise<void> {
		assertValidKey(key);
		try {
			await this.client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
		} catch (err) {
			if (isNotFound(err)) return;
			throw failure(err, `delete ${key}`);
		}
	}

	async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
		assertValidKey(key);
		assertValidSignedUrlOptions(options);
		const command = new GetObjectCommand({
			Bucket: this.#bucket,
			Key: key,
			...(options.downloadName ? { ResponseContentDisposition: contentDisposition(options.downloadName) } : {})
		});
		return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
	}

	close(): void {
		this.client.destroy();
	}
}
