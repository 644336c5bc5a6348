/**
 * The one live API components use. Set it up once in the root layout, then:
 *
 *   const tabs = liveQuery(api.contactTabs.mine);             // tabs.data / .error / .isLoading
 *   const list = liveQuery(api.agentSkills.list, () => ({ userId }));   // re-subscribes on change
 *   await mutate(api.contactTabs.open, { customerId, label }); // rejects with LiveError (.code)
 *   connection.status                                          // connecting | live | reconnecting | offline
 *
 * LIVE=local answers over an SSE stream from this app; LIVE=convex through convex-svelte.
 * Components never know which.
 */
import { browser } from '$app/environment';
import { getFunctionName, type FunctionArgs, type FunctionReference, type FunctionReturnType } from 'convex/server';
import { setupConvex } from 'convex-svelte';
import type { LiveBackend } from './backend';
import { connection } from './connection.svelte';
import { ConvexLiveClient } from './convex-client';
import { LiveError } from './errors';
import { LocalLiveClient } from './local-client';
import { LiveQuery, type QueryArgs } from './query.svelte';

export type { ConnectionStatus } from './backend';
export { connection } from './connection.svelte';
export { LiveError } from './errors';
export type { LiveQuery } from './query.svelte';

export interface LiveSetup {
	mode: 'local' | 'convex';
	/** The Convex deployment URL (PUBLIC_CONVEX_URL); required when mode is convex. */
	convexUrl?: string | null;
}

let backend: LiveBackend | null = null;

/**
 * Connect the page to live updates. Call once, during the root layout's initialization (convex
 * mode sets up convex-svelte's context there). Does nothing during server rendering.
 */
export function setupLive(options: LiveSetup): void {
	if (!browser) return;
	// The app layout mounts again after signing in again; Convex's sign-in must start again too.
	if (backend instanceof ConvexLiveClient) backend.resumeAuth();
	if (backend) return;
	const onStatus = (status: Parameters<typeof connection.set>[0]) => connection.set(status);
	if (options.mode === 'convex') {
		if (!options.convexUrl) throw new Error('setupLive: convexUrl is required when mode is convex');
		backend = new ConvexLiveClient(setupConvex(options.convexUrl), onStatus);
		return;
	}
	const local = new LocalLiveClient({
		EventSource,
		fetch: (input, init) => fetch(input, init),
		onStatus,
		isOnline: () => navigator.onLine
	});
	backend = local.start();
	addEventListener('online', () => {
		if (!local.connected) local.start();
	});
	addEventListener('offline', () => connection.set('offline'));
}

/**
 * Subscribe to a query for the life of the calling component. Call during component
 * initialization. `args` may be a getter (re-subscribes when its value changes) or 'skip'.
 */
export function liveQuery<Q extends FunctionReference<'query'>>(
	ref: Q,
	args: QueryArgs<Q> | (() => QueryArgs<Q>) = {}
): LiveQuery<Q> {
	return new LiveQuery(ref, args, () => backend);
}

/** Run a mutation. Rejects with a LiveError whose `code` says why (FORBIDDEN, TOO_MANY_TABS...). */
export async function mutate<M extends FunctionReference<'mutation'>>(
	ref: M,
	args: FunctionArgs<M>
): Promise<FunctionReturnType<M>> {
	if (!backend) throw new LiveError('NOT_READY', 'Live updates are not connected yet; reload the page.');
	return await backend.mutate(getFunctionName(ref), args);
}
