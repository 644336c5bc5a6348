import type { Role } from '$lib/roles';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in staff member, or null. Set by hooks.server.ts from the session cookie. */
			user: { id: string; name: string; email: string; role: Role } | null;
			session: { id: string; expiresAt: Date } | null;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
