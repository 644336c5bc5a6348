/** Small pieces every module of the carrier engine uses: SIDs, TwiML attributes, URLs, background work, waiting on the clock. */
import { randomBytes } from 'node:crypto';
import type { CallStatus } from '../port';
import { Interrupted } from './clock';
import type { EngineState } from './state';
import { errorDetail } from '../../../../errors';

/** How long "until something else happens" lasts: longer than any call. */
export const FOREVER = 6 * 3600_000;
export const LEG_RETENTION_MS = 3600_000;
export const FINAL = new Set<CallStatus>(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
export const HANGUP = 'hangup';

export function newSid(prefix: string): string {
	return prefix + randomBytes(16).toString('hex');
}

export function attrBool(value: string | undefined, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	return value.toLowerCase() === 'true';
}

export function attrNum(value: string | undefined, fallback: number): number {
	const n = value === undefined || value === '' ? NaN : Number(value);
	return Number.isFinite(n) ? n : fallback;
}

export function method(value: string | undefined): 'GET' | 'POST' {
	return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

export function speechMs(text: string): number {
	return Math.max(1000, text.split(/\s+/).filter(Boolean).length * 400);
}

/** A child signal that also aborts when `parent` does, carrying the parent's reason; call `release` when done. */
export function linked(parent: AbortSignal): AbortController & { release(): void } {
	const ctl = new AbortController();
	const relay = () => ctl.abort(parent.reason);
	if (parent.aborted) ctl.abort(parent.reason);
	else parent.addEventListener('abort', relay, { once: true });
	return Object.assign(ctl, { release: () => parent.removeEventListener('abort', relay) });
}

/** Absolute URL for a path (or URL) relative to `base` (Switchboard's base URL by default). */
export function resolve(s: EngineState, url: string, base = `${s.publicBaseUrl}/`): string {
	return new URL(url, base).toString();
}

/** Run a call or message flow in the background (not clock-tracked: flows wait on virtual time). */
export function track(s: EngineState, work: Promise<unknown>): void {
	work.catch((err: unknown) => {
		s.log.error('carrier flow failed', { error: errorDetail(err) });
	});
}

/** Wait up to `ms`; true when `subscribe`'s wake fired first. Throws Interrupted when `signal` aborts. */
export async function wait(s: EngineState, ms: number, signal: AbortSignal, subscribe: (wake: () => void) => () => void): Promise<boolean> {
	if (signal.aborted) throw new Interrupted(signal.reason);
	const local = new AbortController();
	const relay = () => local.abort(signal.reason);
	signal.addEventListener('abort', relay, { once: true });
	let woken = false;
	const unsubscribe = subscribe(() => {
		if (woken) return;
		woken = true;
		local.abort('wake');
	});
	try {
		await s.clock.sleep(ms, local.signal);
		return false;
	} catch (err) {
		if (signal.aborted) throw new Interrupted(signal.reason);
		if (woken) return true;
		throw err;
	} finally {
		unsubscribe();
		signal.removeEventListener('abort', relay);
	}
}
