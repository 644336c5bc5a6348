/** The JSON answers the browser-facing endpoints give: a body, or `{ ok: false, code, message }` with a status. */

export function json(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

export function problem(status: number, code: string, message: string): Response {
	return json({ ok: false, code, message }, status);
}

/** The answer to a browser endpoint called without a session. */
export const unauthenticated = () => problem(401, 'UNAUTHENTICATED', 'Sign in to continue.');

/**
 * A CSV file to download. The byte-order mark makes spreadsheets read it as UTF-8 (names with
 * accents); the body is never sniffed as anything else nor cached.
 */
export function csvDownload(filename: string, csv: string): Response {
	return new Response(`\uFEFF${csv}`, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}
