import { isHttpError, isRedirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../db/test-db';
import { createAuth, type Auth } from './auth';
import { carrierAuthorization } from './carrier-client';
import { createAuthHandles } from './handle';
import { setUserRole } from './set-user-role';
import { cookieFrom, makeStaff, makeStaffWithPassword, signedInCookie, TEST_PASSWORD, testConfig } from './test-helpers';

let t: TestDb;
let auth: Auth;
let steps: Handle[];
const ORIGIN = 'http://localhost:3000';
const CARRIER = { accountSid: `AC${'4'.repeat(32)}`, authToken: 'carrier-test-token' };
const CARRIER_ROUTE = '/carrier/[...path]';

beforeAll(async () => {
	t = await createTestDb();
	auth = createAuth(t.db, testConfig());
	steps = createAuthHandles(() => Promise.resolve(auth), { carrierAccount: () => Promise.resolve(CARRIER) });
});
afterAll(() => t.close());

interface Sent {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	routeId?: string | null;
	cookie?: string;
}

/** What Kit's sequence() does, without needing Kit's request store: each step resolves into the next. */
function run(index: number, event: RequestEvent): Promise<Response> {
	const step = steps[index];
	if (!step) return Promise.resolve(Response.json({ user: event.locals.user }));
	return Promise.resolve(step({ event, resolve: (next) => run(index + 1, next) }));
}

/** Run one request through the steps; the "page" echoes who it saw. Thrown redirects and errors are returned. */
async function send(path: string, { method = 'GET', headers = {}, body, routeId = null, cookie }: Sent = {}) {
	const url = new URL(path, ORIGIN);
	const request = new Request(url, { method, headers: { ...headers, ...(cookie ? { cookie } : {}) }, body });
	const event = {
		request,
		url,
		route: { id: routeId },
		locals: {},
		cookies: { set: () => {} },
		getClientAddress: () => '192.0.2.44',
		isDataRequest: false
	} as unknown as RequestEvent;
	try {
		return await run(0, event);
	} catch (thrown) {
		return thrown;
	}
}

describe('the request pipeline', () => {
	it('refuses a cross-site form post before anything else runs', async () => {
		const response = (await send('/customers/1', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
			body: 'name=x'
		})) as Response;
		expect(response.status).toBe(403);
		expect(await response.text()).toContain('Cross-site POST requests are forbidden');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});

	it('refuses a cross-site JSON write to the API the same way, before the session is read', async () => {
		const response = (await send('/api/trpc/sms.send', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
			body: '{}'
		})) as Response;
		expect(response.status).toBe(403);
		expect(await response.text()).toContain('Cross-site POST requests are forbidden');
	});

	it('sends a signed-out visitor to the login page and answers the API with 401 JSON', async () => {
		const page = await send('/customers?q=ada', { routeId: '/(app)/customers' });
		expect(isRedirect(page) && page.status === 303 && page.location).toBe('/login?redirectTo=%2Fcustomers%3Fq%3Dada');
		const api = (await send('/api/live/subscribe')) as Response;
		expect(api.status).toBe(401);
		expect(await api.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Sign in to continue.' } });
	});

	it('opens the carrier scenario API and the customer phone only to staff, or the carrier to its own Basic credentials', async () => {
		const state = (await send('/carrier/scenario/state', { routeId: CARRIER_ROUTE })) as Response;
		expect(state.status).toBe(401);
		expect(((await state.json()) as { error: { message: string } }).error.message).toMatch(/Sign in as staff, or send the local carrier's account SID/);
		const injected = (await send('/carrier/scenario/call', {
			method: 'POST',
			routeId: CARRIER_ROUTE,
			// Same-origin, so it is the missing session (not the Origin check) that refuses it.
			headers: { 'content-type': 'application/json', origin: ORIGIN },
			body: '{"from":"+12125550123","to":"+14155550100"}'
		})) as Response;
		expect(injected.status).toBe(401);
		const wrong = (await send('/carrier/scenario/state', {
			routeId: CARRIER_ROUTE,
			headers: { authorization: carrierAuthorization({ ...CARRIER, authToken: 'guessed' }) }
		})) as Response;
		expect(wrong.status).toBe(401);
		const cli = (await send('/carrier/scenario/state', { routeId: CARRIER_ROUTE, headers: { authorization: carrierAuthorization(CARRIER) } })) as Response;
		expect(cli.status).toBe(200);
		// The carrier's credentials open the carrier, not the customer phone or the app.
		const phoneApi = (await send('/phone/api/events', { routeId: '/phone/api/events', headers: { authorization: carrierAuthorization(CARRIER) } })) as Response;
		expect(phoneApi.status).toBe(401);
		const phonePage = await send('/phone', { routeId: '/phone' });
		expect(isRedirect(phonePage) && phonePage.location).toBe('/login?redirectTo=%2Fphone');

		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const cookie = await signedInCookie(auth, agent.email);
		for (const [path, routeId] of [
			['/carrier/scenario/state', CARRIER_ROUTE],
			['/phone/api/events', '/phone/api/events'],
			['/phone', '/phone']
		] as const) {
			const seen = (await send(path, { routeId, cookie })) as Response;
			expect(seen.status).toBe(200);
		}
		// A cross-site form post to the scenario API is refused even with the staff cookie.
		const forged = (await send('/carrier/scenario/call', {
			method: 'POST',
			routeId: CARRIER_ROUTE,
			cookie,
			headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
			body: '{"from":"+12125550123","to":"+14155550100"}'
		})) as Response;
		expect(forged.status).toBe(403);
	});

	it('signs in through /api/auth with the client address set by the server', async () => {
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const response = (await send('/api/auth/sign-in/email', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-switchboard-client-ip': '10.9.9.9' },
			body: JSON.stringify({ email: agent.email, password: TEST_PASSWORD })
		})) as Response;
		expect(response.status).toBe(200);
		const cookie = cookieFrom(response.headers);
		const seen = (await send('/', { routeId: '/(app)', cookie })) as Response;
		expect(((await seen.json()) as { user: { id: string } }).user.id).toBe(agent.id);
		const [row] = await t.db.query.session.findMany({ where: (s, { eq }) => eq(s.userId, agent.id) });
		expect(row?.ipAddress).toBe('192.0.2.44');
	});

	it('keeps an agent out of /admin until an admin promotes them, effective on the next request', async () => {
		const admin = await makeStaff(t.db, 'admin');
		const agent = await makeStaffWithPassword(auth, t.db, 'agent');
		const cookie = await signedInCookie(auth, agent.email);

		const refused = await send('/admin/users', { routeId: '/(app)/admin/users', cookie });
		expect(isHttpError(refused) && refused.status === 403 && refused.body.message).toBe('Only admins can open this page.');

		await setUserRole(t.db, { actorId: admin.id, userId: agent.id, role: 'admin' });
		const allowed = (await send('/admin/users', { routeId: '/(app)/admin/users', cookie })) as Response;
		expect(allowed.status).toBe(200);
		expect(await allowed.json()).toMatchObject({ user: { id: agent.id, role: 'admin' } });
	});

	it('puts the security headers on pages', async () => {
		const response = (await send('/login', { routeId: '/login' })) as Response;
		expect(Object.fromEntries(['x-content-type-options', 'referrer-policy', 'x-frame-options'].map((h) => [h, response.headers.get(h)]))).toEqual({
			'x-content-type-options': 'nosniff',
			'referrer-policy': 'strict-origin-when-cross-origin',
			'x-frame-options': 'DENY'
		});
	});
});
