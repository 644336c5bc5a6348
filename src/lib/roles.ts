/** Staff roles. Shared by the server (guards), Convex (identity claims) and the UI (menus). */
export const ROLES = ['agent', 'manager', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Which roles pass each guard. A wider role does not silently inherit everything: each guard
 * names who may pass, so reading one line tells who can call a procedure.
 */
export const ROLE_GUARDS = {
	agent: ['agent', 'manager', 'supervisor', 'admin'],
	manager: ['manager', 'supervisor', 'admin'],
	supervisor: ['supervisor', 'admin'],
	admin: ['admin']
} as const satisfies Record<string, readonly Role[]>;

export type Guard = keyof typeof ROLE_GUARDS;

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAllows(guard: Guard, role: Role | null | undefined): boolean {
	return role != null && (ROLE_GUARDS[guard] as readonly Role[]).includes(role);
}
