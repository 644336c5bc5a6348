/** The call-control webhooks, one per route: the shared plumbing (twilio-webhook.ts) plus one use-case each. */
import { HOLD_MUSIC_PATH } from '../calls/hold-music';
import { noContent, twimlResponse } from '../webhooks/responses';
import { twilioWebhook } from '../webhooks/twilio-webhook';
import { ZVoiceRequest } from '../webhooks/voice-params';
import { handleConferenceEvent, ZConferenceEvent, type ConferenceEventServices } from './conference-events';
import { holdMusicTwiml } from './conference-twiml';

/** POST /webhooks/twilio/voice/conference: conference and participant events. */
export function conferenceWebhook(services: ConferenceEventServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.conference',
		schema: ZConferenceEvent,
		handle: async (event) => {
			await handleConferenceEvent(services, event);
			return noContent();
		}
	});
}

/** POST /webhooks/twilio/voice/hold-music: what a held participant hears. */
export function holdMusicWebhook(services: ConferenceEventServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.hold-music',
		schema: ZVoiceRequest,
		handle: () => Promise.resolve(twimlResponse(holdMusicTwiml(HOLD_MUSIC_PATH))),
		onError: () => twimlResponse(holdMusicTwiml(HOLD_MUSIC_PATH))
	});
}
