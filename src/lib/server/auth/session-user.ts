/**
 * Who is calling: the session cookie resolved to a staff member on every request. The user row
 * is read each time (no cookie cache), so a role change or a ban counts from the next request.
 */
import { getSessionCookie } from 'better-auth/cookies';
import { isRole, type Role } from '../../roles';
import type { Auth } from './auth';
import { COOKIE_PREFIX } from './auth';

export interface SessionUser {
	id: string;
	name: string;
	email: string;
	role: Role;
}

export interface ResolvedSession {
	user: SessionUser | null;
	session: { id: string; expiresAt: Date } | null;
	/** Set-Cookie headers (a refreshed expiry, or a cleared cookie) to forward to the browser. */
	headers: Headers | null;
}

const SIGNED_OUT: ResolvedSession = { user: null, session: null, headers: null };

interface AuthUserRow {
	id: string;
	name: string;
	email: string;
	role?: string | null;
	banned?: boolean | null;
	banExpires?: Date | string | null;
}

/** The staff member a better-auth user row stands for; null when banned or the role is unknown. */
export function toSessionUser(row: AuthUserRow, now = Date.now()): SessionUser | null {
	const banExpires = row.banExpires ? new Date(row.banExpires).getTime() : null;
	if (row.banned && (banExpires === null || banExpires > now)) return null;
	if (!isRole(row.role)) return null;
	return { id: row.id, name: row.name, email: row.email, role: row.role };
}

export async function resolveSession(auth: Auth, headers: Headers): Promise<ResolvedSession> {
	// No cookie, no database round trip.
	if (!getSessionCookie(headers, { cookiePrefix: COOKIE_PREFIX })) return SIGNED_OUT;
	const result = await auth.api.getSession({ headers, returnHeaders: true });
	const found = result.response;
	if (!found) return { ...SIGNED_OUT, headers: result.headers };
	const user = toSessionUser(found.user);
	if (!user) return { ...SIGNED_OUT, headers: result.headers };
	return { user, session: { id: found.session.id, expiresAt: new Date(found.session.expiresAt) }, headers: result.headers };
}
