/**
 * Email + password sign-in and sign-out through better-auth, with its answers turned into
 * messages a person can act on. The caller forwards `headers` (Set-Cookie) to the browser.
 */
import { isAPIError } from 'better-auth/api';
import type { Auth } from './auth';
import { TOO_MANY_SIGN_INS } from './login-throttle';

export type SignInResult =
	| { ok: true; userId: string; headers: Headers }
	| { ok: false; status: number; code: string; message: string; retryAfter: number | null };

export interface SignInInput {
	email: string;
	password: string;
	/** The browser request's headers with the trusted client address (withClientIp). */
	headers: Headers;
}

export async function signInWithPassword(auth: Auth, input: SignInInput): Promise<SignInResult> {
	try {
		const { headers, response } = await auth.api.signInEmail({
			body: { email: input.email.trim(), password: input.password, rememberMe: true },
			headers: input.headers,
			returnHeaders: true
		});
		return { ok: true, userId: response.user.id, headers };
	} catch (error) {
		if (!isAPIError(error)) throw error;
		return refusal(error);
	}
}

function refusal(error: { statusCode: number; body?: Record<string, unknown> | undefined; message: string }): SignInResult {
	const code = typeof error.body?.code === 'string' ? error.body.code : 'SIGN_IN_FAILED';
	const status = error.statusCode;
	if (code === TOO_MANY_SIGN_INS || status === 429) {
		const retryAfter = typeof error.body?.retryAfter === 'number' ? error.body.retryAfter : 60;
		return { ok: false, status: 429, code: TOO_MANY_SIGN_INS, message: `Too many attempts, try again in ${retryAfter} s.`, retryAfter };
	}
	if (status === 401) {
		return { ok: false, status, code: 'INVALID_CREDENTIALS', message: 'That email and password do not match an account.', retryAfter: null };
	}
	if (code === 'BANNED_USER') return { ok: false, status, code, message: error.message, retryAfter: null };
	if (status === 400) {
		return { ok: false, status, code, message: 'Enter a valid email address and your password.', retryAfter: null };
	}
	return { ok: false, status, code, message: 'Sign-in failed. Try again in a moment.', retryAfter: null };
}

/** End the session named by the request's cookie; answers the headers that clear it. */
export async function signOut(auth: Auth, headers: Headers): Promise<Headers | null> {
	try {
		const result = await auth.api.signOut({ headers, returnHeaders: true });
		return result.headers;
	} catch (error) {
		if (isAPIError(error)) return null;
		throw error;
	}
}
