/** Twilio's response shapes shared by every resource: JSON bodies, error bodies, one-page lists, dates. */
import { rfc2822 } from '../local-carrier';
import type { RestResponse, RouteContext } from './types';

/** RFC 2822, or null for a date not set yet. */
export const date = (d: Date | null) => (d ? rfc2822(d) : null);

export function json(status: number, body: unknown): RestResponse {
	return { status, contentType: 'application/json', body: JSON.stringify(body) };
}

/** Twilio's error body: `{code, message, more_info, status}`. */
export function restError(status: number, code: number, message: string): RestResponse {
	return json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

/** Twilio's 20404 for the path asked for. */
export function notFound(ctx: Pick<RouteContext, 'request'>): RestResponse {
	return restError(404, 20404, `The requested resource ${ctx.request.path} was not found`);
}

/** A one-page list in Twilio's 2010-04-01 paging shape. */
export function page(path: string, key: string, items: unknown[]) {
	return {
		[key]: items,
		end: Math.max(0, items.length - 1),
		first_page_uri: `${path}?PageSize=50&Page=0`,
		next_page_uri: null,
		page: 0,
		page_size: 50,
		previous_page_uri: null,
		start: 0,
		uri: `${path}?PageSize=50&Page=0`
	};
}

/** A `true`/`false` form field; undefined when absent. */
export const boolField = (form: URLSearchParams, name: string): boolean | undefined => {
	const v = form.get(name);
	return v === null ? undefined : v.toLowerCase() === 'true';
};
