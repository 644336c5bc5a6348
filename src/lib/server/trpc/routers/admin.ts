/** Administration, admins only: staff accounts and roles, agents' skills, queues and numbers. Every change is audited. */
import { z } from 'zod';
import { ROLES } from '$lib/roles';
import { addSkill } from '../../admin/add-skill';
import { listAdminAudit, type AdminActor } from '../../admin/audit';
import { createStaffAccount } from '../../admin/create-staff-account';
import { listAgentSkills, listSkillCatalog } from '../../admin/list-agent-skills';
import { listVoiceQueues } from '../../admin/list-voice-queues';
import { resetStaffPassword } from '../../admin/reset-staff-password';
import { saveVoiceQueue } from '../../admin/save-voice-queue';
import { setAgentSkills } from '../../admin/set-agent-skills';
import { setStaffActive } from '../../admin/set-staff-active';
import { WEEKDAYS, ZSaveVoiceQueueRequest } from '../../admin/voice-queue-input';
import { PASSWORD_MAX_LENGTH } from '../../auth/auth';
import { listStaffUsers } from '../../auth/list-staff-users';
import { setUserRole } from '../../auth/set-user-role';
import { adminProcedure, router } from '../init';

const ZRole = z.enum(ROLES, { error: `Role must be one of ${ROLES.join(', ')}.` });

/** Passwords an admin sets (new accounts, resets) are longer than the sign-in minimum. */
export const ADMIN_PASSWORD_MIN_LENGTH = 12;
const ZPassword = z
	.string()
	.min(ADMIN_PASSWORD_MIN_LENGTH, `Use at least ${ADMIN_PASSWORD_MIN_LENGTH} characters for the password.`)
	.max(PASSWORD_MAX_LENGTH, `Keep the password under ${PASSWORD_MAX_LENGTH} characters.`);
const ZUserId = z.string().trim().min(1, 'Choose a staff member.');

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

export const ZSetRoleRequest = z.object({ userId: ZUserId, role: ZRole });
export type TSetRoleRequest = z.infer<typeof ZSetRoleRequest>;

export const ZCreateUserRequest = z.object({
	name: z.string().trim().min(1, 'Enter a name.').max(100, 'Keep the name under 100 characters.'),
	email: z.email('Enter a valid email address.').max(254, 'That email address is too long.'),
	password: ZPassword,
	role: ZRole
});
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequest>;

const ZSkillLevel = z.object({
	skill: z.string().trim().min(1, 'Choose a skill.'),
	level: z.number().int('A skill level is a whole number.').min(1, 'Skill levels go from 1 to 5.').max(5, 'Skill levels go from 1 to 5.')
});
export const ZAgentWithSkills = z.object({ userId: z.string(), name: z.string(), email: z.string(), role: ZRole, skills: z.array(ZSkillLevel) });
export type TAgentWithSkills = z.infer<typeof ZAgentWithSkills>;
export const ZSkill = z.object({
	id: z
		.string()
		.trim()
		.min(1, 'Enter a skill id.')
		.max(40, 'Keep the skill id to 40 characters.')
		.regex(/^[a-z0-9][a-z0-9-]*$/, 'Use lower-case letters, digits and - for the skill id, e.g. spanish or tier-2.'),
	name: z.string().trim().min(1, 'Enter the skill name.').max(80, 'Keep the skill name under 80 characters.'),
	description: z.string().trim().max(500, 'Keep the description under 500 characters.')
});
export type TSkill = z.infer<typeof ZSkill>;
/** What is stored; rows from before these rules (or the seeder) are shown, not judged. */
const ZStoredSkill = z.object({ id: z.string(), name: z.string(), description: z.string() });

export const ZVoiceQueue = z.object({
	number: z.string(),
	name: z.string(),
	requiredSkills: z.array(z.string()),
	// Stored hours are shown as they are; only input is held to ZOpeningHours' rules.
	openingHours: z
		.object({ timezone: z.string(), days: z.partialRecord(z.enum(WEEKDAYS), z.array(z.tuple([z.string(), z.string()]))) })
		.nullable(),
	maxWaitSeconds: z.number(),
	ringSeconds: z.number(),
	wrapupSeconds: z.number(),
	slTargetSeconds: z.number(),
	slTargetPercent: z.number(),
	shortAbandonSeconds: z.number(),
	waitAlertSeconds: z.number(),
	consentNotice: z.string(),
	voicemailEnabled: z.boolean(),
	voicemailGreeting: z.string(),
	createdAt: z.date().transform((d) => d.toISOString())
});
export type TVoiceQueue = z.output<typeof ZVoiceQueue>;

export const ZAdminAuditEntry = z.object({
	id: z.string(),
	actorId: z.string().nullable(),
	actorEmail: z.string(),
	at: z.date().transform((d) => d.toISOString()),
	action: z.string(),
	entity: z.string(),
	entityId: z.string(),
	before: z.unknown(),
	after: z.unknown()
});
export type TAdminAuditEntry = z.output<typeof ZAdminAuditEntry>;

const actorOf = (user: { id: string; email: string }): AdminActor => ({ id: user.id, email: user.email });

export const adminRouter = router({
	listUsers: adminProcedure.output(z.array(ZStaffUser)).query(({ ctx }) => listStaffUsers(ctx.services.db)),

	setRole: adminProcedure
		.input(ZSetRoleRequest)
		.output(ZStaffUser)
		.mutation(({ ctx, input }) =>
			setUserRole(ctx.services.db, { actorId: ctx.user.id, actorEmail: ctx.user.email, userId: input.userId, role: input.role })
		),

	createUser: adminProcedure
		.input(ZCreateUserRequest)
		.output(ZStaffUser)
		.mutation(({ ctx, input }) => createStaffAccount(ctx.services.auth, ctx.services.db, actorOf(ctx.user), input)),

	setUserActive: adminProcedure
		.input(z.object({ userId: ZUserId, active: z.boolean() }))
		.output(ZStaffUser)
		.mutation(({ ctx, input }) => setStaffActive(ctx.services.db, ctx.services.hot, actorOf(ctx.user), input)),

	resetPassword: adminProcedure
		.input(z.object({ userId: ZUserId, password: ZPassword }))
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await resetStaffPassword(ctx.services.auth, ctx.services.db, actorOf(ctx.user), input);
			return { ok: true as const };
		}),

	listAgentSkills: adminProcedure
		.output(z.object({ agents: z.array(ZAgentWithSkills), catalog: z.array(ZStoredSkill) }))
		.query(async ({ ctx }) => ({ agents: await listAgentSkills(ctx.services.db), catalog: await listSkillCatalog(ctx.services.db) })),

	setAgentSkills: adminProcedure
		.input(z.object({ userId: ZUserId, skills: z.array(ZSkillLevel).max(30, 'At most 30 skills per agent.') }))
		.output(z.array(ZSkillLevel))
		.mutation(({ ctx, input }) => setAgentSkills(ctx.services.db, ctx.services.hot, actorOf(ctx.user), input)),

	addSkill: adminProcedure
		.input(ZSkill)
		.output(ZStoredSkill)
		.mutation(({ ctx, input }) => addSkill(ctx.services.db, actorOf(ctx.user), input)),

	listAudit: adminProcedure
		.input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
		.output(z.array(ZAdminAuditEntry))
		.query(({ ctx, input }) => listAdminAudit(ctx.services.db, input.limit)),

	listQueues: adminProcedure.output(z.array(ZVoiceQueue)).query(({ ctx }) => listVoiceQueues(ctx.services.db)),

	saveQueue: adminProcedure
		.input(ZSaveVoiceQueueRequest)
		.output(ZVoiceQueue)
		.mutation(({ ctx, input }) => saveVoiceQueue(ctx.services.db, ctx.services.hot, actorOf(ctx.user), input))
});
