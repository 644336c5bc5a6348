/** Staff accounts and roles; admins only. */
import { z } from 'zod';
import { ROLES } from '$lib/roles';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/auth';
import { createStaffUser } from '../../auth/create-staff-user';
import { listStaffUsers } from '../../auth/list-staff-users';
import { setUserRole } from '../../auth/set-user-role';
import { adminProcedure, router } from '../init';

const ZRole = z.enum(ROLES, { error: `Role must be one of ${ROLES.join(', ')}.` });

export const ZStaffUser = z.object({
	id: z.string(),
	name: z.string(),
	email: z.string(),
	role: ZRole,
	// No tRPC transformer: dates travel as ISO strings.
	createdAt: z.date().transform((d) => d.toISOString()),
	banned: z.boolean()
});
export type TStaffUser = z.output<typeof ZStaffUser>;

export const ZSetRoleRequest = z.object({
	userId: z.string().trim().min(1, 'Choose the staff member whose role to change.'),
	role: ZRole
});
export type TSetRoleRequest = z.infer<typeof ZSetRoleRequest>;

export const ZCreateUserRequest = z.object({
	name: z.string().trim().min(1, 'Enter a name.').max(100, 'Keep the name under 100 characters.'),
	email: z.email('Enter a valid email address.').max(254, 'That email address is too long.'),
	password: z
		.string()
		.min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters for the password.`)
		.max(PASSWORD_MAX_LENGTH, `Keep the password under ${PASSWORD_MAX_LENGTH} characters.`),
	role: ZRole
});
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequest>;

export const adminRouter = router({
	listUsers: adminProcedure.output(z.array(ZStaffUser)).query(({ ctx }) => listStaffUsers(ctx.services.db)),

	setRole: adminProcedure
		.input(ZSetRoleRequest)
		.output(ZStaffUser)
		.mutation(({ ctx, input }) => setUserRole(ctx.services.db, { actorId: ctx.user.id, userId: input.userId, role: input.role })),

	createUser: adminProcedure
		.input(ZCreateUserRequest)
		.output(ZStaffUser)
		.mutation(({ ctx, input }) => createStaffUser(ctx.services.auth, ctx.services.db, input))
});
