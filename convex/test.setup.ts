/**
 * Shared helpers for convex-test suites (vitest). The file name has two dots, so Convex's
 * bundler skips it on deploy.
 */
import { convexTest } from 'convex-test';
import { expect } from 'vitest';
import type { Role } from '../src/lib/roles';
import schema from './schema';

export const modules = import.meta.glob(['./**/*.ts', './_generated/*.js', '!./**/*.*.ts']);

export function newConvex() {
	// Convex's per-transaction limits, as the local engine runs with them.
	return convexTest({ schema, modules, transactionLimits: true });
}

export type TestConvex = ReturnType<typeof newConvex>;

/** An accessor calling as a staff member with the given role. */
export function as(t: TestConvex, role: Role | 'system', userId = `${role}-1`, name = `${role} one`) {
	return t.withIdentity({ subject: userId, name, role });
}

/** Assert a promise rejects with a ConvexError carrying `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
	await expect(promise).rejects.toMatchObject({ data: { code } });
}
