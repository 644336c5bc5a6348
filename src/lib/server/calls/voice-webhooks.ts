/**
 * The voice webhooks' handlers, one per route: the shared plumbing (signature, body cap, zod,
 * error mapping) plus one use-case each. `src/routes/webhooks/twilio/voice/**` only passes the
 * request and the services in, so tests call these directly with services from test-harness.ts.
 */
import { api } from '$convex/_generated/api';
import { SYSTEM_IDENTITY } from '../live/hot';
import { deliveryKey } from '../webhooks/delivery-ledger';
import { noContent, twimlResponse } from '../webhooks/responses';
import { twilioWebhook } from '../webhooks/twilio-webhook';
import { ZDialAction, ZEnqueueAction, ZQueueWait, ZRecordAction, ZRecordingStatus, ZVoiceRequest, ZVoiceStatusCallback } from '../webhooks/voice-params';
import { applyCallStatus } from './apply-call-status';
import { handleQueueBridge, ZQueueBridge } from './handle-agent-pickup';
import { handleDialAction } from './handle-dial-action';
import { handleIncomingCall } from './handle-incoming-call';
import { handleEnqueueAction, handleQueueWait } from './handle-queue-callbacks';
import { handleVoicemailDone, recordRecordingStatus } from './record-recording';
import { FALLBACK_QUEUE, fallbackTwiml } from './routing-twiml';
import { HOLD_MUSIC_PATH } from './hold-music';
import { hangup, play, response } from './twiml';
import type { VoiceServices } from './voice-services';

/** POST /webhooks/twilio/voice: a call to a Switchboard number. */
export function incomingCallWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.incoming',
		schema: ZVoiceRequest,
		handle: async (call) =>
			twimlResponse(await handleIncomingCall(services, { call, dedupeKey: deliveryKey('voice.incoming', [call.CallSid]) })),
		// Never drop a caller on our own failure: hold them in a queue agents can still reach.
		onError: () => twimlResponse(fallbackTwiml(FALLBACK_QUEUE))
	});
}

/** POST /webhooks/twilio/voice/status: call-progress events of the customer's and agents' legs. */
export function callStatusWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.status',
		schema: ZVoiceStatusCallback,
		handle: async (status) => {
			const dedupeKey = deliveryKey('voice.status', [status.CallSid, status.SequenceNumber ?? status.CallStatus]);
			const applied = await applyCallStatus(services, { status, dedupeKey });
			// An agent's Dial<Client> leg answered: call control redirects it to move the call into a conference.
			if (!applied.replay && status.ParentCallSid && status.CallStatus === 'in-progress') {
				await services.hot.mutation(api.callControl.noteLegs, { callSid: status.ParentCallSid, agentCallSid: status.CallSid, bridgedBy: 'dial' }, SYSTEM_IDENTITY);
			}
			return noContent();
		}
	});
}

/** POST /webhooks/twilio/voice/dial-action: the agent's Dial ended (answered and over, or not answered). */
export function dialActionWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.dial-action',
		schema: ZDialAction,
		handle: async (dial) => {
			const dedupeKey = deliveryKey('voice.dial-action', [dial.CallSid, dial.DialCallSid ?? dial.DialCallStatus]);
			return twimlResponse(await handleDialAction(services, { dial, dedupeKey }));
		},
		onError: () => twimlResponse(response(hangup()))
	});
}

/** POST /webhooks/twilio/voice/wait: the hold loop while a caller waits in a queue. */
export function queueWaitWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.wait',
		schema: ZQueueWait,
		handle: async (wait) => twimlResponse(await handleQueueWait(services, wait)),
		// Keep holding (music, no position) rather than drop the caller.
		onError: () => twimlResponse(response(play(HOLD_MUSIC_PATH)))
	});
}

/** POST /webhooks/twilio/voice/enqueue-action: the caller left the queue (bridged, hung up, or timed out to voicemail). */
export function enqueueActionWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.enqueue-action',
		schema: ZEnqueueAction,
		handle: async (exit) => {
			const dedupeKey = deliveryKey('voice.enqueue-action', [exit.CallSid, exit.QueueResult]);
			return twimlResponse(await handleEnqueueAction(services, { exit, dedupeKey }));
		},
		onError: () => twimlResponse(response(hangup()))
	});
}

/** POST /webhooks/twilio/voice/voicemail-done: the voicemail `<Record action>`. */
export function voicemailDoneWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.voicemail-done',
		schema: ZRecordAction,
		handle: async (done) => {
			const dedupeKey = deliveryKey('voice.voicemail-done', [done.CallSid, done.RecordingSid]);
			return twimlResponse(await handleVoicemailDone(services, { done, dedupeKey }));
		},
		onError: () => twimlResponse(response(hangup()))
	});
}

/** POST /webhooks/twilio/voice/recording: recording status callbacks. */
export function recordingStatusWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.recording',
		schema: ZRecordingStatus,
		handle: async (recording) => {
			const dedupeKey = deliveryKey('voice.recording', [recording.RecordingSid, recording.RecordingStatus]);
			await recordRecordingStatus(services, { recording, dedupeKey });
			return noContent();
		}
	});
}

/** POST /webhooks/twilio/voice/queue-bridge?agent=<id>: an agent's `<Dial><Queue>` dequeued this caller. */
export function queueBridgeWebhook(services: VoiceServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.queue-bridge',
		schema: ZQueueBridge,
		handle: async (bridge) => {
			const dedupeKey = deliveryKey('voice.queue-bridge', [bridge.CallSid, bridge.DequeingCallSid]);
			return twimlResponse(await handleQueueBridge(services, { bridge, agentId: url.searchParams.get('agent'), dedupeKey }));
		},
		// The bridge goes ahead either way; the archive catches up from the status callbacks.
		onError: () => twimlResponse(response())
	});
}
