import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { as, newConvex, rejectsWith } from './test.setup';

describe('function builders', () => {
	it('refuses callers without an identity', async () => {
		const t = newConvex();
		await rejectsWith(t.query(api.agentStatus.list, {}), 'UNAUTHENTICATED');
		await rejectsWith(t.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Ann' }), 'UNAUTHENTICATED');
	});

	it('refuses an identity that carries no Switchboard role', async () => {
		const t = newConvex();
		await rejectsWith(t.withIdentity({ subject: 'u1', name: 'No Role' }).query(api.agentStatus.list, {}), 'FORBIDDEN');
		await rejectsWith(t.withIdentity({ subject: 'u1', role: 'superuser' }).query(api.agentStatus.list, {}), 'FORBIDDEN');
	});

	it('admits each role exactly where ROLE_GUARDS says', async () => {
		const t = newConvex();
		for (const role of ['agent', 'manager', 'supervisor', 'admin'] as const) {
			await expect(as(t, role).query(api.contactTabs.mine, {})).resolves.toEqual([]);
		}
		// The wallboard's board is for managers and up (ROLE_GUARDS.manager).
		await rejectsWith(as(t, 'agent').query(api.callBoard.board, {}), 'FORBIDDEN');
		for (const role of ['manager', 'supervisor', 'admin'] as const) {
			await expect(as(t, role).query(api.callBoard.board, {})).resolves.toMatchObject({ incoming: [] });
		}
	});

	it('keeps server-only functions from staff, admins included, and staff functions from the server', async () => {
		const t = newConvex();
		const roster = { agents: [{ userId: 'u9', name: 'Nine', role: 'agent' as const }], removeMissing: false };
		for (const role of ['agent', 'admin'] as const) {
			await expect(as(t, role).mutation(api.agentStatus.hydrate, roster)).rejects.toMatchObject({
				data: { code: 'FORBIDDEN', message: 'Only the Switchboard server may call this function.' }
			});
		}
		await rejectsWith(as(t, 'system').query(api.agentStatus.list, {}), 'FORBIDDEN');
		await expect(as(t, 'system').mutation(api.agentStatus.hydrate, roster)).resolves.toEqual({ inserted: 1, updated: 0, removed: 0 });
	});

	it('explains a refusal in words a person can act on', async () => {
		const t = newConvex();
		await expect(as(t, 'agent').query(api.callBoard.board, {})).rejects.toMatchObject({
			data: { kind: 'FORBIDDEN', code: 'FORBIDDEN', message: 'This needs the manager role or higher; you are signed in as agent.' }
		});
	});
});
