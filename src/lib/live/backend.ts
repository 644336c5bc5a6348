/** What the facade needs from a live backend; the local (SSE) and Convex clients both provide it. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveBackend {
	/** Calls `onResult` with the current result and each change after; returns the unsubscribe function. */
	subscribe(
		name: string,
		args: Record<string, unknown>,
		onResult: (value: unknown) => void,
		onError: (error: Error) => void
	): () => void;
	mutate(name: string, args: Record<string, unknown>): Promise<unknown>;
	close(): void;
}
