import type { PageServerLoad } from './$types';

/** `?phone=` and `?name=` prefill the form, e.g. from a search that found nobody. */
export const load: PageServerLoad = ({ url }) => ({
	phone: (url.searchParams.get('phone') ?? '').slice(0, 40),
	name: (url.searchParams.get('name') ?? '').slice(0, 200)
});
