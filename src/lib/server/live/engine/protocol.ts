/**
 * Messages between the server (hot.ts) and the local engine's worker thread. Values travel by
 * structured clone, which carries every Convex value (bigint, ArrayBuffer) as-is.
 */
import type { Identity } from '../identity';

export type FunctionKind = 'query' | 'mutation' | 'action';

/** What the engine knows about one exported Convex function. */
export interface FunctionInfo {
	/** "module:export", e.g. "agentStatus:setMine". */
	name: string;
	kind: FunctionKind;
	visibility: 'public' | 'internal';
	/** The guard it was built with (convex/lib/functions.ts); undefined for a function built without one. */
	guard: 'agent' | 'manager' | 'supervisor' | 'admin' | 'system' | 'internal' | undefined;
}

/** A refusal or failure, as the caller should see it. `kind` INTERNAL means a bug, not the caller's fault. */
export interface WireError {
	kind: 'BAD_REQUEST' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT' | 'INTERNAL';
	code: string;
	message: string;
}

export type ToEngine =
	| {
			type: 'call';
			id: number;
			kind: 'query' | 'mutation';
			name: string;
			args: Record<string, unknown>;
			identity: Identity | null;
	  }
	| { type: 'subscribe'; subId: number; name: string; args: Record<string, unknown>; identity: Identity | null }
	| { type: 'unsubscribe'; subId: number };

export type FromEngine =
	| { type: 'ready'; functions: FunctionInfo[] }
	| { type: 'reply'; id: number; ok: true; value: unknown }
	| { type: 'reply'; id: number; ok: false; error: WireError }
	| { type: 'update'; subId: number; ok: true; value: unknown }
	| { type: 'update'; subId: number; ok: false; error: WireError };
