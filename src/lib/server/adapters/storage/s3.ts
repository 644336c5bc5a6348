/**
 * The production storage adapter over @aws-sdk/client-s3. With a custom endpoint (MinIO, R2,
 * a test server) it uses path-style addressing and sends checksums only where S3 requires
 * them, since many S3-compatible stores reject the newer default checksum headers.
 *
 * Only S3's NoSuchKey (or a bodiless 404 to HEAD) means "nothing stored here": a missing
 * bucket (NoSuchBucket) or a refused permission (AccessDenied, 403) is an error, so a wrong
 * setting never looks like an empty store. Without keys the SDK's default credential chain
 * is used (environment, shared profile, ECS task role, EC2 instance profile).
 */
import {
	DeleteObjectCommand,
	GetObjectCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	PutObjectCommand,
	S3Client,
	S3ServiceException,
	type S3ClientConfig
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../../env';
import { AdapterError } from '../errors';
import { assertValidKey, assertValidSignedUrlOptions, contentDisposition } from './keys';
import type { SignedUrlOptions, StoragePort, StoredObject, StoredObjectInfo } from './port';
import { describeBucketProblem } from './s3-bucket-problem';
import { errorMessage } from '../../../errors';

export type S3StorageConfig = Omit<Extract<Config['storage'], { adapter: 's3' }>, 'adapter'>;

export interface S3StorageOptions {
	/** Give up on a connection that does not open within this long (default 5 s). */
	connectionTimeoutMs?: number;
	/** Give up on a request whose response has not arrived within this long (default 30 s). */
	requestTimeoutMs?: number;
	/** Tries per request, first included (SDK default 3); throttling and 5xx are retried with backoff. */
	maxAttempts?: number;
}

/** GET's NoSuchKey, or HEAD's bodiless 404 (HEAD cannot carry an error code, so the status is all S3 sends). */
function isMissingObject(err: unknown, method: 'GET' | 'HEAD'): boolean {
	if (!(err instanceof S3ServiceException)) return false;
	if (err.name === 'NoSuchKey') return true;
	return method === 'HEAD' && err.name === 'NotFound' && err.$metadata.httpStatusCode === 404;
}

function failure(err: unknown, action: string): AdapterError {
	if (err instanceof S3ServiceException) {
		const hint =
			err.name === 'NoSuchBucket'
				? ' The bucket named in S3_BUCKET does not exist (or is in another account or endpoint).'
				: err.name === 'AccessDenied' || err.$metadata.httpStatusCode === 403
					? ' The credentials lack a permission this needs: see README "Amazon S3" for the IAM actions.'
					: '';
		return new AdapterError(`S3 refused to ${action}: ${err.name}${err.message && err.message !== 'UnknownError' ? ` (${err.message})` : ''}.${hint}`, {
			port: 'storage',
			adapter: 's3',
			status: err.$metadata.httpStatusCode,
			vendorCode: err.name,
			cause: err
		});
	}
	const reason = errorMessage(err);
	return new AdapterError(`S3 could not be reached to ${action}: ${reason}`, {
		port: 'storage',
		adapter: 's3',
		retryable: true,
		cause: err
	});
}

function clientConfig(config: S3StorageConfig, options: S3StorageOptions): S3ClientConfig {
	const custom = config.endpoint !== undefined;
	return {
		region: config.region,
		// No keys: leave credentials unset so the SDK walks its default chain (roles, profiles).
		...(config.accessKeyId && config.secretAccessKey
			? {
					credentials: {
						accessKeyId: config.accessKeyId,
						secretAccessKey: config.secretAccessKey
					}
				}
			: {}),
		...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
		requestHandler: {
			connectionTimeout: options.connectionTimeoutMs ?? 5_000,
			requestTimeout: options.requestTimeoutMs ?? 30_000,
			// Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
			throwOnRequestTimeout: true
		},
		...(custom
			? {
					endpoint: config.endpoint,
					forcePathStyle: true,
					requestChecksumCalculation: 'WHEN_REQUIRED',
					responseChecksumValidation: 'WHEN_REQUIRED'
				}
			: {})
	};
}

export class S3Storage implements StoragePort {
	readonly kind = 's3';
	readonly #config: S3StorageConfig;
	readonly client: S3Client;

	constructor(config: S3StorageConfig, options: S3StorageOptions = {}) {
		this.#config = config;
		this.client = new S3Client(clientConfig(config, options));
	}

	/**
	 * HeadBucket at start: settings that cannot reach the bucket (wrong name or region, no
	 * credentials, a missing s3:ListBucket grant, an unreachable endpoint) fail here with what
	 * to fix, instead of on the first recording.
	 */
	async verify(): Promise<void> {
		try {
			await this.client.send(new HeadBucketCommand({ Bucket: this.#config.bucket }));
		} catch (err) {
			throw new AdapterError(describeBucketProblem(err, this.#config), {
				port: 'storage',
				adapter: 's3',
				status: (err as S3ServiceException).$metadata?.httpStatusCode,
				retryable: false,
				cause: err
			});
		}
	}

	async put(key: string, body: Uint8Array, contentType: string): Promise<StoredObjectInfo> {
		assertValidKey(key);
		const kms = this.#config.sseKmsKeyId;
		try {
			await this.client.send(
				new PutObjectCommand({
					Bucket: this.#config.bucket,
					Key: key,
					Body: body,
					ContentType: contentType,
					...(kms ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kms } : {})
				})
			);
		} catch (err) {
			throw failure(err, `store ${key}`);
		}
		return {
			key,
			size: body.byteLength,
			contentType,
			lastModified: new Date()
		};
	}

	async get(key: string): Promise<StoredObject | null> {
		assertValidKey(key);
		try {
			const res = await this.client.send(new GetObjectCommand({ Bucket: this.#config.bucket, Key: key }));
			const body = res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
			return {
				key,
				size: body.byteLength,
				contentType: res.ContentType ?? 'application/octet-stream',
				lastModified: res.LastModified ?? new Date(),
				body
			};
		} catch (err) {
			if (isMissingObject(err, 'GET')) return null;
			throw failure(err, `read ${key}`);
		}
	}

	async head(key: string): Promise<StoredObjectInfo | null> {
		assertValidKey(key);
		try {
			const res = await this.client.send(new HeadObjectCommand({ Bucket: this.#config.bucket, Key: key }));
			return {
				key,
				size: res.ContentLength ?? 0,
				contentType: res.ContentType ?? 'application/octet-stream',
				lastModified: res.LastModified ?? new Date()
			};
		} catch (err) {
			if (isMissingObject(err, 'HEAD')) return null;
			throw failure(err, `inspect ${key}`);
		}
	}

	async exists(key: string): Promise<boolean> {
		return (await this.head(key)) !== null;
	}

	async delete(key: string): Promise<void> {
		assertValidKey(key);
		try {
			// S3 answers 204 for a key that holds nothing, so every error here is a real one.
			await this.client.send(new DeleteObjectCommand({ Bucket: this.#config.bucket, Key: key }));
		} catch (err) {
			throw failure(err, `delete ${key}`);
		}
	}

	async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
		assertValidKey(key);
		assertValidSignedUrlOptions(options);
		const command = new GetObjectCommand({
			Bucket: this.#config.bucket,
			Key: key,
			...(options.downloadName
				? {
						ResponseContentDisposition: contentDisposition(options.downloadName)
					}
				: {})
		});
		return getSignedUrl(this.client, command, {
			expiresIn: options.expiresInSeconds
		});
	}

	close(): void {
		this.client.destroy();
	}
}
