/** What a live query or mutation rejects with, whichever backend served it. */
import { errorMessage } from '../errors';

export class LiveError extends Error {
	constructor(
		/** Stable code: FORBIDDEN, UNAUTHENTICATED, TOO_MANY_TABS, INVALID_ARGUMENTS, NETWORK, INTERNAL... */
		readonly code: string,
		message: string,
		/** HTTP status when the local path answered; undefined from Convex. */
		readonly status?: number
	) {
		super(message);
		this.name = 'LiveError';
	}
}

/** A LiveError from anything a backend threw: Convex's ConvexError carries our {code, message} as data. */
export function toLiveError(error: unknown): LiveError {
	if (error instanceof LiveError) return error;
	if (typeof error === 'object' && error !== null && 'data' in error) {
		const data = error.data;
		if (typeof data === 'object' && data !== null && typeof (data as { code?: unknown }).code === 'string') {
			const { code, message } = data as { code: string; message?: unknown };
			return new LiveError(code, typeof message === 'string' ? message : code);
		}
	}
	return new LiveError('INTERNAL', errorMessage(error));
}
