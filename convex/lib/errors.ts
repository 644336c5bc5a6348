/**
 * How Convex functions refuse: a ConvexError whose data carries a `kind` (what class of
 * problem, mapped to HTTP/tRPC codes at the edge) and a stable `code` a UI can act on. The
 * data crosses to every client as-is, so the message must say what to do, not leak internals.
 */
import { ConvexError } from 'convex/values';

export type LiveErrorKind = 'BAD_REQUEST' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

export type LiveErrorData = {
	kind: LiveErrorKind;
	/** Stable machine code, e.g. FORBIDDEN, TOO_MANY_TABS. */
	code: string;
	message: string;
};

export function fail(kind: LiveErrorKind, code: string, message: string): never {
	throw new ConvexError<LiveErrorData>({ kind, code, message });
}

/** True when `data` (from a caught ConvexError) has the shape `fail` throws. */
export function isLiveErrorData(data: unknown): data is LiveErrorData {
	if (typeof data !== 'object' || data === null) return false;
	const d = data as Record<string, unknown>;
	return typeof d.code === 'string' && typeof d.message === 'string' && typeof d.kind === 'string';
}
