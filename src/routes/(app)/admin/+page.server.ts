import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The admin area has one page so far. */
export const load: PageServerLoad = () => redirect(307, '/admin/users');
