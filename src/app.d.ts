import type { Role } from '$lib/roles';
import type { Services } from '$lib/server/services';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in staff member, or null. Set by hooks.server.ts from the session cookie. */
			user: { id: string; name: string; email: string; role: Role } | null;
			session: { id: string; expiresAt: Date } | null;
			/** The running services (archive, adapters, hot state, auth), set by hooks.server.ts for every request. */
			services: Services;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
