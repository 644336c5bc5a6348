/** The campaigns page: managers (and up) also get the create and import forms and the live progress view. */
import { roleAllows } from '$lib/roles';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ canManage: roleAllows('manager', locals.user?.role) });
