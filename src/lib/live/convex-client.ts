/**
 * The Convex side of the facade (LIVE=convex): convex-svelte's client over Convex's own sync
 * protocol, authenticated with short-lived tokens from GET /api/live/token.
 */
import type { ConvexClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import type { ConnectionStatus, LiveBackend } from './backend';
import { fetchConvexToken, type TokenFetchOptions } from './convex-token';
import { toLiveError } from './errors';

export { fetchConvexToken } from './convex-token';

/** What this class uses of Convex's client (a test passes a stand-in). */
export type ConvexClientLike = Pick<
	ConvexClient,
	'setAuth' | 'connectionState' | 'subscribeToConnectionState' | 'onUpdate' | 'mutation'
>;

export class ConvexLiveClient implements LiveBackend {
	readonly #client: ConvexClientLike;
	readonly #stopWatching: () => void;
	readonly #tokens: TokenFetchOptions;

	constructor(client: ConvexClientLike, onStatus?: (status: ConnectionStatus) => void, tokens: TokenFetchOptions = {}) {
		this.#client = client;
		this.#tokens = tokens;
		this.#startAuth();
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

	/**
	 * After signing in again in this tab: Convex stopped asking for tokens when the server said
	 * nobody was signed in (or holds the previous user's), and only a new setAuth makes it ask again.
	 */
	resumeAuth(): void {
		this.#startAuth();
	}

	#startAuth(): void {
		this.#client.setAuth(() => fetchConvexToken(this.#tokens));
	}

	close(): void {
		this.#stopWatching();
	}
}
