/**
 * The function builders every Convex function in Switchboard is made with. Each one reads the
 * caller from the signed identity (subject = user id, custom claims `role` and `name`), refuses
 * callers its guard does not admit, and hands the handler a `caller`. Nothing registers a bare
 * `query`/`mutation`: a public function without a guard would be callable by anyone holding the
 * deployment URL.
 *
 * Guards: agent/manager/supervisor/admin follow ROLE_GUARDS in src/lib/roles.ts; `system` admits
 * only the Switchboard server, whose tokens carry role `system` (it calls public functions
 * through ConvexHttpClient, which cannot reach internal ones).
 */
import type { Auth, RegisteredMutation, RegisteredQuery } from 'convex/server';
import type { ObjectType, PropertyValidators, Validator } from 'convex/values';
import { ROLE_GUARDS, isRole, type Guard, type Role } from '../../src/lib/roles';
import {
	internalMutation as rawInternalMutation,
	internalQuery as rawInternalQuery,
	mutation as rawMutation,
	query as rawQuery,
	type MutationCtx,
	type QueryCtx
} from '../_generated/server';
import { fail } from './errors';
import { observeCtx } from './observe';

export type CallerRole = Role | 'system';
export type GuardName = Guard | 'system';

/** Who is calling, as the identity provider vouched for it. */
export interface Caller {
	userId: string;
	role: CallerRole;
	name: string;
}

export type GuardedQueryCtx = QueryCtx & { caller: Caller };
export type GuardedMutationCtx = MutationCtx & { caller: Caller };

/** The caller, or null when the request carries no identity. Throws when the identity has no usable role. */
export async function getCaller(ctx: { auth: Auth }): Promise<Caller | null> {
	const identity = await ctx.auth.getUserIdentity();
	if (!identity) return null;
	const role = identity.role;
	if (role !== 'system' && !isRole(role)) {
		fail('FORBIDDEN', 'FORBIDDEN', 'Your sign-in carries no Switchboard role; sign out and in again.');
	}
	const name = typeof identity.name === 'string' && identity.name.trim() !== '' ? identity.name : identity.subject;
	return { userId: identity.subject, role, name };
}

/** The caller if `guard` admits them; otherwise UNAUTHENTICATED or FORBIDDEN with a message saying why. */
export async function requireCaller(ctx: { auth: Auth }, guard: GuardName): Promise<Caller> {
	const caller = await getCaller(ctx);
	if (!caller) fail('UNAUTHENTICATED', 'UNAUTHENTICATED', 'Sign in to continue.');
	if (guard === 'system') {
		if (caller.role !== 'system') fail('FORBIDDEN', 'FORBIDDEN', 'Only the Switchboard server may call this function.');
		return caller;
	}
	if (caller.role === 'system' || !(ROLE_GUARDS[guard] as readonly Role[]).includes(caller.role)) {
		const needs = guard === 'admin' ? 'the admin role' : `the ${guard} role or higher`;
		fail('FORBIDDEN', 'FORBIDDEN', `This needs ${needs}; you are signed in as ${caller.role}.`);
	}
	return caller;
}

/**
 * Which guard each registered function was built with, so the local engine can refuse
 * server-only functions to browsers before calling them (the guard still checks on its own).
 */
const guards = new WeakMap<object, GuardName | 'internal'>();

export function guardOf(fn: unknown): GuardName | 'internal' | undefined {
	return typeof fn === 'function' || (typeof fn === 'object' && fn !== null) ? guards.get(fn) : undefined;
}

interface Definition<Args extends PropertyValidators, Ctx, Out> {
	args: Args;
	returns?: Validator<unknown, 'required', string>;
	handler: (ctx: Ctx, args: ObjectType<Args>) => Promise<Out>;
}

// Return types spell out RegisteredQuery/RegisteredMutation rather than a local alias: the
// generated `api` reads argument and return types back from those aliases' type arguments.
function guardedQuery(guard: GuardName) {
	return <Args extends PropertyValidators, Out>(
		def: Definition<Args, GuardedQueryCtx, Out>
	): RegisteredQuery<'public', ObjectType<Args>, Promise<Out>> => {
		const fn = rawQuery({
			args: def.args,
			returns: def.returns,
			handler: async (ctx: QueryCtx, args: ObjectType<Args>): Promise<Out> => {
				const caller = await requireCaller(ctx, guard);
				return def.handler(observeCtx(ctx, { caller }), args);
			}
		}) as RegisteredQuery<'public', ObjectType<Args>, Promise<Out>>;
		guards.set(fn, guard);
		return fn;
	};
}

function guardedMutation(guard: GuardName) {
	return <Args extends PropertyValidators, Out>(
		def: Definition<Args, GuardedMutationCtx, Out>
	): RegisteredMutation<'public', ObjectType<Args>, Promise<Out>> => {
		const fn = rawMutation({
			args: def.args,
			returns: def.returns,
			handler: async (ctx: MutationCtx, args: ObjectType<Args>): Promise<Out> => {
				const caller = await requireCaller(ctx, guard);
				return def.handler(observeCtx(ctx, { caller }), args);
			}
		}) as RegisteredMutation<'public', ObjectType<Args>, Promise<Out>>;
		guards.set(fn, guard);
		return fn;
	};
}

/** Any signed-in staff member. */
export const agentQuery = guardedQuery('agent');
export const agentMutation = guardedMutation('agent');
export const managerQuery = guardedQuery('manager');
export const managerMutation = guardedMutation('manager');
export const supervisorQuery = guardedQuery('supervisor');
export const supervisorMutation = guardedMutation('supervisor');
export const adminQuery = guardedQuery('admin');
export const adminMutation = guardedMutation('admin');
/** Only the Switchboard server (webhooks, start-up hydration, jobs). */
export const systemQuery = guardedQuery('system');
export const systemMutation = guardedMutation('system');

/** Functions only other Convex functions and the scheduler may call; no identity involved. */
export function internalQuery<Args extends PropertyValidators, Out>(
	def: Definition<Args, QueryCtx, Out>
): RegisteredQuery<'internal', ObjectType<Args>, Promise<Out>> {
	const fn = rawInternalQuery({
		args: def.args,
		returns: def.returns,
		handler: (ctx: QueryCtx, args: ObjectType<Args>): Promise<Out> => def.handler(observeCtx(ctx, {}), args)
	}) as RegisteredQuery<'internal', ObjectType<Args>, Promise<Out>>;
	guards.set(fn, 'internal');
	return fn;
}

export function internalMutation<Args extends PropertyValidators, Out>(
	def: Definition<Args, MutationCtx, Out>
): RegisteredMutation<'internal', ObjectType<Args>, Promise<Out>> {
	const fn = rawInternalMutation({
		args: def.args,
		returns: def.returns,
		handler: (ctx: MutationCtx, args: ObjectType<Args>): Promise<Out> => def.handler(observeCtx(ctx, {}), args)
	}) as RegisteredMutation<'internal', ObjectType<Args>, Promise<Out>>;
	guards.set(fn, 'internal');
	return fn;
}
