/**
 * Typed domain errors with a code a user can act on. Domain code throws AppError; the tRPC
 * edge maps `kind` to a tRPC code and keeps `code` and the message for the UI.
 */
export type AppErrorKind = 'BAD_REQUEST' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHORIZED' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

/** The HTTP status each kind answers with, for every edge that speaks HTTP (webhooks, the live path). */
export const HTTP_STATUS_BY_KIND: Readonly<Record<AppErrorKind, number>> = {
	BAD_REQUEST: 400,
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	TOO_MANY_REQUESTS: 429
};

export class AppError extends Error {
	constructor(
		readonly kind: AppErrorKind,
		/** Stable machine code, e.g. INVALID_PHONE, CUSTOMER_NOT_FOUND, DNC_BLOCKED. */
		readonly code: string,
		message: string,
		readonly details?: Record<string, unknown>
	) {
		super(message);
		this.name = 'AppError';
	}
}

export const notFound = (code: string, message: string) => new AppError('NOT_FOUND', code, message);
export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
	new AppError('BAD_REQUEST', code, message, details);
export const forbidden = (message = 'Your role does not allow this action.') => new AppError('FORBIDDEN', 'FORBIDDEN', message);
