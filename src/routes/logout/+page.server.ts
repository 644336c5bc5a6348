import { redirect } from '@sveltejs/kit';
import { forwardCookies } from '$lib/server/auth/forward-cookies';
import { signOut } from '$lib/server/auth/sign-in';
import type { Actions, PageServerLoad } from './$types';

/** Signing out changes state, so it is a POST; a plain visit just goes to the login page. */
export const load: PageServerLoad = () => redirect(303, '/login');

export const actions: Actions = {
	default: async ({ request, cookies, locals }) => {
		const { auth } = locals.services;
		forwardCookies(await signOut(auth, request.headers), cookies);
		redirect(303, '/login');
	}
};
