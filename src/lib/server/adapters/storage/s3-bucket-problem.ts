/** Turns a failed start-up HeadBucket into a sentence saying which setting to fix. */
import { S3ServiceException } from '@aws-sdk/client-s3';
import type { S3StorageConfig } from './s3';

export function describeBucketProblem(err: unknown, config: S3StorageConfig): string {
	const where = `S3 bucket "${config.bucket}" (S3_REGION=${config.region}${config.endpoint ? `, S3_ENDPOINT=${config.endpoint}` : ''})`;
	if (err instanceof S3ServiceException) {
		const status = err.$metadata.httpStatusCode;
		if (status === 404 || err.name === 'NoSuchBucket' || err.name === 'NotFound') {
			return `${where} does not exist: check S3_BUCKET (and S3_ENDPOINT for S3-compatible stores).`;
		}
		if (status === 301 || err.name === 'PermanentRedirect') {
			return `${where} is in another region: set S3_REGION to the bucket's region.`;
		}
		if (status === 400 && /region/i.test(err.message)) return `${where} is in another region: set S3_REGION to the bucket's region.`;
		if (status === 403 || err.name === 'AccessDenied' || err.name === 'Forbidden') {
			return `${where} refused these credentials: check S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY (or the role), and grant s3:ListBucket on the bucket plus s3:GetObject, s3:PutObject, s3:DeleteObject on its objects.`;
		}
		return `${where} answered ${err.name} (HTTP ${status ?? '?'}): ${err.message}`;
	}
	const e = err as Error;
	if (e.name === 'CredentialsProviderError') {
		return `${where}: no AWS credentials were found. Set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or run with an IAM role / instance profile (${e.message}).`;
	}
	return `${where} could not be reached: ${e.message}. Check S3_ENDPOINT, S3_REGION and the network.`;
}
