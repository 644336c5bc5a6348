/**
 * The Convex side of the facade (LIVE=convex): convex-svelte's client over Convex's own sync
 * protocol, authenticated with short-lived tokens from GET /api/live/token.
 */
import type { ConvexClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import type { ConnectionStatus, LiveBackend } from './backend';
import { toLiveError } from './errors';

/** Fetches a Convex token for the signed-in user, or null when signed out. */
export async function fetchConvexToken(fetchImpl: typeof fetch = fetch): Promise<string | null> {
	const response = await fetchImpl('/api/live/token', { credentials: 'same-origin' });
	if (!response.ok) return null;
	const body = (await response.json()) as { token?: unknown };
	return typeof body.token === 'string' ? body.token : null;
}

export class ConvexLiveClient implements LiveBackend {
	readonly #client: ConvexClient;
	readonly #stopWatching: () => void;

	constructor(client: ConvexClient, onStatus?: (status: ConnectionStatus) => void) {
		this.#client = client;
		client.setAuth(() => fetchConvexToken());
		const report = () => {
			const state = client.connectionState();
			onStatus?.(state.isWebSocketConnected ? 'live' : state.hasEverConnected ? 'reconnecting' : 'connecting');
		};
		report();
		this.#stopWatching = client.subscribeToConnectionState(report);
	}

	subscribe(
		name: string,
		args: Record<string, unknown>,
		onResult: (value: unknown) => void,
		onError: (error: Error) => void
	): () => void {
		const unsubscribe = this.#client.onUpdate(makeFunctionReference<'query'>(name), args, onResult, (error) =>
			onError(toLiveError(error))
		);
		return () => unsubscribe();
	}

	async mutate(name: string, args: Record<string, unknown>): Promise<unknown> {
		try {
			return await this.#client.mutation(makeFunctionReference<'mutation'>(name), args);
		} catch (error) {
			throw toLiveError(error);
		}
	}

	close(): void {
		this.#stopWatching();
	}
}
