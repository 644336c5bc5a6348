/**
 * A live query as a reactive object: `data`, `error` and `isLoading` follow the subscription.
 * It subscribes when the component mounts, re-subscribes when its arguments change (pass a
 * getter to make them reactive, or 'skip' to hold off), and unsubscribes on destroy.
 */
import { getFunctionName, type FunctionArgs, type FunctionReference, type FunctionReturnType } from 'convex/server';
import { convexToJson, jsonToConvex, type JSONValue } from 'convex/values';
import type { LiveBackend } from './backend';
import type { LiveError } from './errors';
import { toLiveError } from './errors';

export type QueryArgs<Q extends FunctionReference<'query'>> = FunctionArgs<Q> | 'skip';

function isGetter<T>(value: T | (() => T)): value is () => T {
	return typeof value === 'function';
}

export class LiveQuery<Q extends FunctionReference<'query'>> {
	data = $state<FunctionReturnType<Q> | undefined>(undefined);
	error = $state<LiveError | undefined>(undefined);
	isLoading = $state(true);

	constructor(ref: Q, args: QueryArgs<Q> | (() => QueryArgs<Q>), backend: () => LiveBackend | null) {
		const name = getFunctionName(ref);
		const read = isGetter(args) ? args : () => args;
		// Keyed by value, so a getter returning an equal object does not re-subscribe.
		const key = $derived.by(() => {
			const current = read();
			return current === 'skip' ? 'skip' : JSON.stringify(convexToJson(current));
		});
		$effect(() => {
			const argsKey = key;
			this.data = undefined;
			this.error = undefined;
			const live = backend();
			if (argsKey === 'skip' || !live) {
				this.isLoading = argsKey !== 'skip';
				return;
			}
			this.isLoading = true;
			return live.subscribe(
				name,
				jsonToConvex(JSON.parse(argsKey) as JSONValue) as Record<string, unknown>,
				(value) => {
					this.data = value;
					this.error = undefined;
					this.isLoading = false;
				},
				(error) => {
					this.error = toLiveError(error);
					this.isLoading = false;
				}
			);
		});
	}
}
