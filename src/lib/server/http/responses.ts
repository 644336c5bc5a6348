/** The JSON answers the browser-facing endpoints give: a body, or `{ ok: false, code, message }` with a status. */

export function json(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

export function problem(status: number, code: string, message: string): Response {
	return json({ ok: false, code, message }, status);
}

/** The answer to a browser endpoint called without a session. */
export const unauthenticated = () => problem(401, 'UNAUTHENTICATED', 'Sign in to continue.');
