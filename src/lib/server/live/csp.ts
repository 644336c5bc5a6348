/**
 * The page CSP (svelte.config.js) cannot name the Convex deployment: its URL is a runtime
 * setting (PUBLIC_CONVEX_URL, a convex.cloud name or a self-hosted host). With LIVE=convex this
 * adds that origin, over https and wss, to connect-src of each response that carries a CSP.
 */
import type { Handle } from '@sveltejs/kit';

export function convexConnectSources(convexUrl: string): string[] {
	const url = new URL(convexUrl);
	const socket = url.protocol === 'http:' ? 'ws:' : 'wss:';
	return [url.origin, `${socket}//${url.host}`];
}

/** The policy with `sources` added to connect-src (created when the policy has none). */
export function withConnectSources(policy: string, sources: string[]): string {
	const directives = policy.split(';').map((d) => d.trim()).filter(Boolean);
	const index = directives.findIndex((d) => d.split(/\s+/)[0] === 'connect-src');
	if (index === -1) return [...directives, `connect-src ${sources.join(' ')}`].join('; ');
	const present = new Set(directives[index]!.split(/\s+/));
	directives[index] = [directives[index]!, ...sources.filter((s) => !present.has(s))].join(' ');
	return directives.join('; ');
}

/** A hook that opens connect-src to the configured Convex deployment; passes through otherwise. */
export function convexCspHandle(live: () => Promise<{ adapter: 'local' } | { adapter: 'convex'; url: string }>): Handle {
	return async ({ event, resolve }) => {
		const response = await resolve(event);
		const policy = response.headers.get('content-security-policy');
		if (!policy) return response;
		const config = await live();
		if (config.adapter !== 'convex') return response;
		response.headers.set('content-security-policy', withConnectSources(policy, convexConnectSources(config.url)));
		return response;
	};
}
