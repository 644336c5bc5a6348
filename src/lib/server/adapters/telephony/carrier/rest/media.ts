/** Media: a phone's attachment to a text, served at its MediaUrl to the account's credentials, as Twilio serves it. */
import { notFound } from './respond';
import type { Route } from './types';
import { sidSource } from '../../../../../phone-rules';
import { routePath } from './route-path';

export const mediaRoutes: Route[] = [
	{
		method: 'GET',
		path: routePath`Messages/${sidSource('MM')}/Media/${sidSource('ME')}`,
		handle: (ctx) => {
			const media = ctx.carrier.mediaAt(ctx.request.path);
			if (!media) return notFound(ctx);
			return { status: 200, contentType: media.contentType, body: media.body };
		}
	},
	{
		method: 'DELETE',
		path: routePath`Messages/${sidSource('MM')}/Media/${sidSource('ME')}\.json`,
		handle: (ctx) => {
			const media = ctx.carrier.mediaAt(ctx.request.path.replace(/\.json$/, ''));
			if (!media) return notFound(ctx);
			ctx.carrier.media.delete(media.sid);
			return { status: 204, contentType: 'application/json', body: '' };
		}
	}
];
