/** The admin users page's state: the list, each row's save status (role, activation, password), and the create form's outcome. */
import { ROLES, type Role } from '$lib/roles';
import type { TCreateUserRequest, TStaffUser } from '$lib/server/trpc/routers/admin';
import { errorMessage, trpc } from '$lib/trpc';

export type RowStatus = { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

export class StaffDirectory {
	users = $state<TStaffUser[]>([]);
	rowStatus = $state<Record<string, RowStatus>>({});
	creating = $state(false);
	createResult = $state<{ ok: true; message: string } | { ok: false; message: string } | null>(null);

	readonly roles = ROLES;

	constructor(users: TStaffUser[]) {
		this.users = users;
	}

	/** Save a row's new role; on failure the row shows why and goes back to its saved role. */
	async setRole(userId: string, role: Role): Promise<void> {
		const index = this.users.findIndex((u) => u.id === userId);
		const before = this.users[index];
		if (!before || before.role === role) return;
		this.users[index] = { ...before, role };
		this.rowStatus[userId] = { kind: 'saving' };
		try {
			this.users[index] = await trpc.admin.setRole.mutate({ userId, role });
			this.rowStatus[userId] = { kind: 'saved' };
		} catch (error) {
			this.users[index] = before;
			this.rowStatus[userId] = { kind: 'failed', message: errorMessage(error) };
		}
	}

	/** Deactivate (signed out at once, cannot sign in) or reactivate an account. */
	async setActive(userId: string, active: boolean): Promise<void> {
		const index = this.users.findIndex((u) => u.id === userId);
		if (index < 0) return;
		this.rowStatus[userId] = { kind: 'saving' };
		try {
			this.users[index] = await trpc.admin.setUserActive.mutate({ userId, active });
			this.rowStatus[userId] = { kind: 'saved' };
		} catch (error) {
			this.rowStatus[userId] = { kind: 'failed', message: errorMessage(error) };
		}
	}

	/** Set a new password (their sessions end); answers true when the field may be cleared. */
	async resetPassword(userId: string, password: string): Promise<boolean> {
		this.rowStatus[userId] = { kind: 'saving' };
		try {
			await trpc.admin.resetPassword.mutate({ userId, password });
			this.rowStatus[userId] = { kind: 'saved' };
			return true;
		} catch (error) {
			this.rowStatus[userId] = { kind: 'failed', message: errorMessage(error) };
			return false;
		}
	}

	/** Create a staff member; answers true when the form may be cleared. */
	async create(input: TCreateUserRequest): Promise<boolean> {
		this.creating = true;
		this.createResult = null;
		try {
			const created = await trpc.admin.createUser.mutate(input);
			this.users = [...this.users, created].sort((a, b) => a.name.localeCompare(b.name));
			this.createResult = { ok: true, message: `${created.name} can now sign in as ${created.email}.` };
			return true;
		} catch (error) {
			this.createResult = { ok: false, message: errorMessage(error) };
			return false;
		} finally {
			this.creating = false;
		}
	}
}
