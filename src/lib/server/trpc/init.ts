/**
 * tRPC's one set of procedure builders. Each role builder narrows ctx.user, so a procedure
 * body never re-checks who is calling; domain errors (AppError) become tRPC errors here.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { roleAllows, type Guard, type Role } from '$lib/roles';
import { AppError } from '../errors';
import type { Services } from '../services';

export interface SessionUser {
	id: string;
	name: string;
	email: string;
	role: Role;
}

export interface Context {
	services: Services;
	user: SessionUser | null;
}

const t = initTRPC.context<Context>().create({
	errorFormatter({ shape, error }) {
		const cause = error.cause;
		return {
			...shape,
			data: {
				...shape.data,
				appCode: cause instanceof AppError ? cause.code : null,
				details: cause instanceof AppError ? (cause.details ?? null) : null,
				fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : null
			}
		};
	}
});

/** Turn a thrown AppError into the tRPC error with the same meaning, keeping its message. */
const mapErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof AppError) {
		const app = result.error.cause;
		throw new TRPCError({ code: app.kind, message: app.message, cause: app });
	}
	return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

function guarded(guard: Guard) {
	return publicProcedure.use(({ ctx, next }) => {
		if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
		if (!roleAllows(guard, ctx.user.role)) {
			throw new TRPCError({
				code: 'FORBIDDEN',
				message: `This needs the ${guard} role or higher; you are signed in as ${ctx.user.role}.`
			});
		}
		return next({ ctx: { ...ctx, user: ctx.user } });
	});
}

/** Any signed-in staff member. */
export const agentProcedure = guarded('agent');
export const managerProcedure = guarded('manager');
export const supervisorProcedure = guarded('supervisor');
export const adminProcedure = guarded('admin');
