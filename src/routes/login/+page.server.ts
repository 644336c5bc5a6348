import { fail, redirect } from '@sveltejs/kit';
import { withClientIp } from '$lib/server/auth/client-ip';
import { forwardCookies } from '$lib/server/auth/forward-cookies';
import { safeRedirectTarget } from '$lib/server/auth/redirect-target';
import { signInWithPassword } from '$lib/server/auth/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	return { redirectTo };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const field = (name: string) => {
			const value = form.get(name);
			return typeof value === 'string' ? value : '';
		};
		const email = field('email').trim();
		const password = field('password');
		const redirectTo = safeRedirectTarget(form.get('redirectTo'));
		if (!email || !password) return fail(400, { email, message: 'Enter your email and password.', retryAfter: null });

		const { auth } = event.locals.services;
		const headers = withClientIp(event.request.headers, event.getClientAddress());
		const result = await signInWithPassword(auth, { email, password, headers });
		if (!result.ok) return fail(result.status, { email, message: result.message, retryAfter: result.retryAfter });

		forwardCookies(result.headers, event.cookies);
		redirect(303, redirectTo);
	}
};
