import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The admin area opens on its first tab. */
export const load: PageServerLoad = () => redirect(307, '/admin/users');
