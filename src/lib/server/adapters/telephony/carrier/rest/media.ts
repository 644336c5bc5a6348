/** Media: a phone's attachment to a text, served at its MediaUrl to the account's credentials, as Twilio serves it. */
import { notFound } from './respond';
import type { Route } from './types';

export const mediaRoutes: Route[] = [
	{
		method: 'GET',
		path: /^Messages\/MM[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/,
		handle: (ctx) => {
			const media = ctx.carrier.mediaAt(ctx.request.path);
			if (!media) return notFound(ctx);
			return { status: 200, contentType: media.contentType, body: media.body };
		}
	}
];
