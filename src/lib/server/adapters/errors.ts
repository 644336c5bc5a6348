/**
 * Failures of an outside service, in one shape for every port. Domain code and jobs read
 * `retryable` to decide whether to try again and `vendorCode` for vendor-specific handling
 * (Twilio 21610: recipient unsubscribed); the message says what went wrong and where.
 */
export type PortName = 'telephony' | 'storage' | 'speech' | 'languageAi' | 'broadcast';

export interface AdapterErrorInit {
	port: PortName;
	/** Which adapter failed: 'local', 'twilio', 's3', 'openai', 'gemini', 'ably'. */
	adapter: string;
	/** HTTP status from the vendor, when there was a response. */
	status?: number;
	/** The vendor's own error code (Twilio 21211, S3 NoSuchKey...), when it sent one. */
	vendorCode?: string | number;
	/** True when the same request may succeed later (timeouts, 429, 5xx). */
	retryable?: boolean;
	cause?: unknown;
}

export class AdapterError extends Error {
	readonly port: PortName;
	readonly adapter: string;
	readonly status: number | undefined;
	readonly vendorCode: string | number | undefined;
	readonly retryable: boolean;

	constructor(message: string, init: AdapterErrorInit) {
		super(message, init.cause === undefined ? undefined : { cause: init.cause });
		this.name = 'AdapterError';
		this.port = init.port;
		this.adapter = init.adapter;
		this.status = init.status;
		this.vendorCode = init.vendorCode;
		this.retryable = init.retryable ?? (init.status === undefined || init.status === 429 || init.status >= 500);
	}

	/** The vendor answered that the thing asked for does not exist. */
	get notFound(): boolean {
		return this.status === 404;
	}
}
