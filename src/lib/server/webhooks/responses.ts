/** The few response shapes webhooks send: TwiML, or a short plain-text reason for a 4xx. */

export function twimlResponse(xml: string, status = 200): Response {
	return new Response(xml, { status, headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' } });
}

export function textResponse(status: number, message: string): Response {
	return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/** Status callbacks want no body. */
export function noContent(): Response {
	return new Response(null, { status: 204 });
}
