import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { convexConnectSources, convexCspHandle, withConnectSources } from './csp';

const policy = "default-src 'self'; connect-src 'self' https://*.twilio.com; object-src 'none'";

describe('CSP for the configured Convex deployment', () => {
	it('allows the self-hosted or cloud deployment of PUBLIC_CONVEX_URL over https and wss', () => {
		expect(convexConnectSources('https://convex.calls.example.com/')).toEqual(['https://convex.calls.example.com', 'wss://convex.calls.example.com']);
		expect(withConnectSources(policy, convexConnectSources('https://convex.calls.example.com'))).toBe(
			"default-src 'self'; connect-src 'self' https://*.twilio.com https://convex.calls.example.com wss://convex.calls.example.com; object-src 'none'"
		);
	});

	it('adds the origin to page responses with LIVE=convex and leaves LIVE=local alone', async () => {
		const page = () => new Response('<html>', { headers: { 'content-security-policy': policy } });
		const event = {} as RequestEvent;
		const convex = convexCspHandle(() => Promise.resolve({ adapter: 'convex', url: 'https://happy-otter-123.convex.cloud' }));
		const served = await convex({ event, resolve: () => Promise.resolve(page()) });
		expect(served.headers.get('content-security-policy')).toContain('connect-src \'self\' https://*.twilio.com https://happy-otter-123.convex.cloud wss://happy-otter-123.convex.cloud');
		const local = convexCspHandle(() => Promise.resolve({ adapter: 'local' }));
		expect((await local({ event, resolve: () => Promise.resolve(page()) })).headers.get('content-security-policy')).toBe(policy);
	});
});
