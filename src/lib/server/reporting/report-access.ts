/**
 * Who reads which figures: managers, supervisors and admins every queue and agent; an agent only
 * their own (the agents filter must be exactly themselves), so nobody reads a colleague's numbers
 * by leaving the filter empty.
 */
import { roleAllows, type Role } from '$lib/roles';
import { AppError } from '../errors';

export function assertMayReadFigures(viewer: { id: string; role: Role }, agents: readonly string[]): void {
	if (roleAllows('manager', viewer.role)) return;
	if (agents.length === 1 && agents[0] === viewer.id) return;
	throw new AppError('FORBIDDEN', 'OWN_FIGURES_ONLY', "Agents can see only their own figures: choose yourself as the only agent. Team and other agents' figures are for managers and supervisors.");
}
