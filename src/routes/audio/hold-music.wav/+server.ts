/** The queue's hold music, fetched by the carrier for `<Play>`; public (Twilio fetches media without a session) and cacheable. */
import { holdMusicWav } from '$lib/server/calls/hold-music';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () =>
	new Response(holdMusicWav(), { headers: { 'content-type': 'audio/wav', 'cache-control': 'public, max-age=86400' } });
