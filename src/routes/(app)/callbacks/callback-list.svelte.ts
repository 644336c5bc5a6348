/**
 * The callbacks page's state: the list (refreshed every few seconds while the tab is visible, at
 * once when it comes back, and after every action), and claim / complete / release with the
 * server's refusal shown on the task it concerns (someone else was faster, say).
 */
import type { TCallbackListResponse, TCallbackTask, TCompleteCallbackRequest } from '$lib/server/trpc/routers/callbacks';
import { errorMessage, trpc } from '$lib/trpc';

export const REFRESH_MS = 5000;

export interface CallbackApi {
	list(): Promise<TCallbackListResponse>;
	claim(taskId: string): Promise<TCallbackTask>;
	complete(input: TCompleteCallbackRequest): Promise<TCallbackTask>;
	release(taskId: string): Promise<TCallbackTask>;
}

const serverApi: CallbackApi = {
	list: () => trpc.callbacks.list.query(),
	claim: (taskId) => trpc.callbacks.claim.mutate({ taskId }),
	complete: (input) => trpc.callbacks.complete.mutate(input),
	release: (taskId) => trpc.callbacks.release.mutate({ taskId })
};

export class CallbackList {
	data = $state<TCallbackListResponse | null>(null);
	loadError = $state<string | null>(null);
	/** Per task: the last refusal or failure to show beside it. */
	errors = $state<Record<string, string>>({});
	busy = $state<Record<string, boolean>>({});
	/** The last task closed, for a short confirmation. */
	lastDone = $state<TCallbackTask | null>(null);
	refreshedAt = $state<number | null>(null);
	readonly #api: CallbackApi;

	constructor(initial: TCallbackListResponse | null = null, api: CallbackApi = serverApi) {
		this.data = initial;
		this.#api = api;
	}

	async refresh(): Promise<void> {
		try {
			this.data = await this.#api.list();
			this.loadError = null;
			this.refreshedAt = Date.now();
		} catch (error) {
			this.loadError = errorMessage(error);
		}
	}

	async #act(taskId: string, action: () => Promise<unknown>): Promise<boolean> {
		this.busy = { ...this.busy, [taskId]: true };
		const { [taskId]: _old, ...rest } = this.errors;
		this.errors = rest;
		try {
			await action();
			return true;
		} catch (error) {
			this.errors = { ...this.errors, [taskId]: errorMessage(error) };
			return false;
		} finally {
			this.busy = { ...this.busy, [taskId]: false };
			await this.refresh();
		}
	}

	claim(taskId: string): Promise<boolean> {
		return this.#act(taskId, () => this.#api.claim(taskId));
	}

	complete(input: TCompleteCallbackRequest): Promise<boolean> {
		return this.#act(input.taskId, async () => {
			this.lastDone = await this.#api.complete(input);
		});
	}

	release(taskId: string): Promise<boolean> {
		return this.#act(taskId, () => this.#api.release(taskId));
	}
}
