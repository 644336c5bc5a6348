import { describe, expect, it } from 'vitest';
import type { Role } from '../../roles';
import { decideAccess } from './page-access';

const as = (role: Role) => ({ id: 'u1', name: 'Pat', email: 'pat@test.local', role });
const req = (pathname: string, routeId: string | null = null, search = '') => ({ pathname, search, routeId });

describe('decideAccess', () => {
	it.each(['/login', '/logout', '/api/auth/sign-in/email', '/webhooks/twilio/voice', '/.well-known/security.txt', '/files/abc?sig=1', '/healthz', '/_app/immutable/x.js'])(
		'lets anyone reach %s',
		(pathname) => {
			expect(decideAccess(req(pathname), null)).toEqual({ kind: 'allow' });
		}
	);

	it('sends a signed-out visitor of an app page to the login page, remembering where they were going', () => {
		expect(decideAccess(req('/customers/42', '/(app)/customers/[id]', '?tab=calls'), null)).toEqual({
			kind: 'sign-in',
			location: '/login?redirectTo=%2Fcustomers%2F42%3Ftab%3Dcalls'
		});
		expect(decideAccess(req('/', '/(app)'), null)).toMatchObject({ kind: 'sign-in' });
	});

	it('answers API calls without a session with 401 instead of a redirect', () => {
		expect(decideAccess(req('/api/live/subscribe'), null)).toEqual({ kind: 'unauthorized' });
		expect(decideAccess(req('/api/live/subscribe'), as('agent'))).toEqual({ kind: 'allow' });
	});

	it('keeps the local carrier and the customer phone for signed-in staff, its Twilio REST paths to their Basic credentials', () => {
		const carrier = (path: string) => req(path, '/carrier/[...path]');
		expect(decideAccess(carrier('/carrier/scenario/state'), null)).toEqual({ kind: 'unauthorized' });
		expect(decideAccess(carrier('/carrier/scenario/call'), as('agent'))).toEqual({ kind: 'allow' });
		expect(decideAccess(carrier('/carrier/anything'), null)).toEqual({ kind: 'unauthorized' });
		expect(decideAccess(carrier('/carrier/2010-04-01/Accounts/AC1/Calls.json'), null)).toEqual({ kind: 'allow' });
		expect(decideAccess(carrier('/carrier/2010-04-01%2F..%2Fscenario/state'), null)).toEqual({ kind: 'unauthorized' });
		expect(decideAccess(req('/phone/api/events', '/phone/api/events'), null)).toEqual({ kind: 'unauthorized' });
		expect(decideAccess(req('/phone/api/calls/CA1/answer', '/phone/api/calls/[sid]/[action]'), as('agent'))).toEqual({ kind: 'allow' });
		expect(decideAccess(req('/phone', '/phone'), null)).toEqual({ kind: 'sign-in', location: '/login?redirectTo=%2Fphone' });
		expect(decideAccess(req('/phone', '/phone'), as('agent'))).toEqual({ kind: 'allow' });
	});

	it('leaves tRPC to its own per-procedure guards', () => {
		expect(decideAccess(req('/api/trpc/admin.listUsers'), null)).toEqual({ kind: 'allow' });
	});

	it('keeps /admin for admins', () => {
		expect(decideAccess(req('/admin/users', '/(app)/admin/users'), as('supervisor'))).toEqual({
			kind: 'forbidden',
			message: 'Only admins can open this page.'
		});
		expect(decideAccess(req('/admin', null), as('agent'))).toMatchObject({ kind: 'forbidden' });
		expect(decideAccess(req('/admin/users', '/(app)/admin/users'), as('admin'))).toEqual({ kind: 'allow' });
		expect(decideAccess(req('/administrators', null), as('agent'))).toEqual({ kind: 'allow' });
	});

	it('keeps /wallboard for managers, supervisors and admins', () => {
		expect(decideAccess(req('/wallboard', '/(app)/wallboard'), as('agent'))).toMatchObject({ kind: 'forbidden' });
		expect(decideAccess(req('/wallboard', '/(app)/wallboard'), as('manager'))).toEqual({ kind: 'allow' });
		expect(decideAccess(req('/wallboard', '/(app)/wallboard'), as('supervisor'))).toEqual({ kind: 'allow' });
		expect(decideAccess(req('/wallboard', '/(app)/wallboard'), as('admin'))).toEqual({ kind: 'allow' });
	});

	it('judges an encoded path the way the router will match it', () => {
		expect(decideAccess(req('/%61dmin/users', '/(app)/admin/users'), as('agent'))).toMatchObject({ kind: 'forbidden' });
		expect(decideAccess(req('/%61dmin/users', null), as('agent'))).toMatchObject({ kind: 'forbidden' });
	});

	it('does not treat a public-looking URL as public when it routes to an app page', () => {
		expect(decideAccess(req('/login', '/(app)/customers'), null)).toMatchObject({ kind: 'sign-in' });
	});
});
