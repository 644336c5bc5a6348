/** POST /webhooks/twilio/voice/transcription?inbound=customer|agent: a live transcription's events. */
import { deliveryKey } from '../webhooks/delivery-ledger';
import { noContent, textResponse } from '../webhooks/responses';
import { twilioWebhook } from '../webhooks/twilio-webhook';
import { ZTranscriptionEvent } from '../webhooks/voice-params';
import { handleTranscriptionEvent } from './live-transcription';
import type { VoiceServices } from './voice-services';

export function transcriptionWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.transcription',
		schema: ZTranscriptionEvent,
		handle: async (event) => {
			// Signed with the URL: liveTranscriptionFor put it there.
			const inbound = url.searchParams.get('inbound');
			if (inbound !== 'customer' && inbound !== 'agent') return textResponse(400, 'Invalid voice.transcription webhook: inbound must be customer or agent.');
			const dedupeKey = deliveryKey('voice.transcription', [event.TranscriptionSid, event.SequenceId]);
			await handleTranscriptionEvent(services, { event, inbound, dedupeKey });
			return noContent();
		}
	});
}
