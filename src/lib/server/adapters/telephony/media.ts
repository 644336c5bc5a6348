/**
 * Fetching an inbound MMS's media, or a call recording, from the carrier, shared by both telephony adapters: only from
 * the carrier's own media hosts (each adapter says which), with the account's Basic credentials
 * sent to its API origin only, following redirects by hand so every hop is checked against the
 * same allowlist, refusing content types the caller does not accept and bodies over its limit
 * (read as a stream and cut off, so a lying or missing Content-Length cannot get past it).
 */
import { AdapterError } from '../errors';
import type { MediaLimits, RecordingMedia } from './port';
import { readStreamCapped } from '../../read-capped';
import { errorMessage } from '../../../errors';

/** Twilio's own answer to "how many redirects": a media URL redirects once, to signed storage. */
const MAX_REDIRECTS = 5;

/**
 * A recording: audio only, at most 512 MiB (four hours of two-channel 8 kHz 16-bit WAV is about
 * 460 MB, and Twilio ends calls at four hours), with time to read that much.
 */
export const RECORDING_LIMITS: MediaLimits = {
	maxBytes: 512 * 1024 * 1024,
	accept: (type) => type === '' || type.startsWith('audio/'),
	acceptedDescription: 'audio',
	timeoutMs: 10 * 60_000,
	label: 'recordings'
};

export interface MediaHostPolicy {
	adapter: 'twilio' | 'local';
	/** May media be fetched from this URL at all (scheme, host and port)? `redirected`: reached through the carrier's redirect. */
	allowed(url: URL, redirected: boolean): boolean;
	/** The hosts `allowed` accepts, for the refusal's message ("api.twilio.com and *.twiliocdn.com"). */
	describe: string;
	/** The Authorization header for this URL, or null to send none (storage hosts take signed URLs). */
	authorization(url: URL): string | null;
	fetch?: typeof fetch;
}

function refuse(policy: MediaHostPolicy, message: string, init: { status?: number; retryable?: boolean } = {}): AdapterError {
	return new AdapterError(message, { port: 'telephony', adapter: policy.adapter, retryable: false, ...init });
}

/** `image/jpeg; charset=binary` -> `image/jpeg`. */
export function mediaType(header: string | null): string {
	return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export async function fetchCarrierMedia(policy: MediaHostPolicy, rawUrl: string, limits: MediaLimits): Promise<RecordingMedia> {
	const doFetch = policy.fetch ?? fetch;
	let url: URL;
	try {
		url = new URL(rawUrl);
	} catch {
		throw refuse(policy, `The media URL ${JSON.stringify(rawUrl.slice(0, 200))} is not a URL.`);
	}
	for (let hop = 0; ; hop++) {
		if (!policy.allowed(url, hop > 0)) {
			const what = hop === 0 ? 'The media URL points at' : 'The carrier redirected the media to';
			throw refuse(policy, `${what} ${url.host}, which is not the carrier's media host; ${limits.label ?? 'MMS media'} ${limits.label ? 'are' : 'is'} fetched only from ${policy.describe}.`);
		}
		const authorization = policy.authorization(url);
		let res: Response;
		try {
			res = await doFetch(url, {
				redirect: 'manual',
				headers: { accept: '*/*', ...(authorization ? { authorization } : {}) },
				signal: AbortSignal.timeout(limits.timeoutMs ?? 30_000)
			});
		} catch (err) {
			throw new AdapterError(`Could not reach the carrier's media host ${url.host}: ${errorMessage(err)}`, {
				port: 'telephony',
				adapter: policy.adapter,
				retryable: true,
				cause: err
			});
		}
		if (res.status >= 300 && res.status < 400) {
			const location = res.headers.get('location');
			await res.body?.cancel();
			if (!location) throw refuse(policy, `The carrier's media host answered ${res.status} without a Location.`, { status: res.status });
			if (hop >= MAX_REDIRECTS) throw refuse(policy, `The carrier redirected the media more than ${MAX_REDIRECTS} times.`);
			url = new URL(location, url);
			continue;
		}
		if (!res.ok) {
			await res.body?.cancel();
			// 429 and 5xx may pass (AdapterError's default); anything else will not.
			throw new AdapterError(`The carrier's media host answered ${res.status} for this media file.`, {
				port: 'telephony',
				adapter: policy.adapter,
				status: res.status
			});
		}
		const contentType = mediaType(res.headers.get('content-type'));
		if (!limits.accept(contentType)) {
			await res.body?.cancel();
			throw refuse(policy, `Files of type ${contentType || '(none given)'} are not accepted; ${limits.label ?? 'MMS attachments'} may be ${limits.acceptedDescription}.`);
		}
		const declared = Number(res.headers.get('content-length') ?? NaN);
		if (Number.isFinite(declared) && declared > limits.maxBytes) {
			await res.body?.cancel();
			throw refuse(policy, tooLarge(declared, limits));
		}
		return { body: await readCapped(res, limits, policy), contentType };
	}
}

function tooLarge(size: number | null, limits: MediaLimits): string {
	const limit = `${(limits.maxBytes / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
	return `The file is larger than the ${limit} limit for ${limits.label ?? 'MMS media'}${size === null ? '' : ` (${size.toLocaleString('en-US')} bytes)`}.`;
}

async function readCapped(res: Response, limits: MediaLimits, policy: MediaHostPolicy): Promise<Uint8Array> {
	const body = await readStreamCapped(res.body, limits.maxBytes);
	if (body === null) throw refuse(policy, tooLarge(null, limits));
	return body;
}

/** Basic credentials for a header. */
export function basicAuthorization(username: string, password: string): string {
	return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
