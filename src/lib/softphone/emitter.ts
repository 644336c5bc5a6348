/** A tiny typed event emitter for browser code (node:events is not there). */
export type Listener<A extends unknown[]> = (...args: A) => void;
type AnyListener = (...args: unknown[]) => void;

export class Emitter<Events extends Record<string, unknown[]>> {
	readonly #listeners = new Map<keyof Events, Set<AnyListener>>();

	/** Listen to `event`; returns the function that stops listening. */
	on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
		let set = this.#listeners.get(event);
		if (!set) {
			set = new Set();
			this.#listeners.set(event, set);
		}
		const stored = listener as unknown as AnyListener;
		set.add(stored);
		return () => set.delete(stored);
	}

	protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
		for (const listener of [...(this.#listeners.get(event) ?? [])]) {
			try {
				listener(...args);
			} catch (error) {
				console.error(`softphone: a '${String(event)}' listener failed`, error);
			}
		}
	}

	protected removeAllListeners(): void {
		this.#listeners.clear();
	}
}
