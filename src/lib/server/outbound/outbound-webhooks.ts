/**
 * The outbound voice webhooks, one per route under /webhooks/twilio/voice/outbound: the shared
 * plumbing (signature, body cap, zod, error mapping) plus one use-case each.
 */
import { conferenceTwimlForMovingLeg } from '../call-control/conference';
import { deliveryKey } from '../webhooks/delivery-ledger';
import { noContent, twimlResponse } from '../webhooks/responses';
import { twilioWebhook } from '../webhooks/twilio-webhook';
import { ZDialAction, ZVoiceRequest, ZVoiceStatusCallback } from '../webhooks/voice-params';
import { handleOutboundCall, ZOutboundRequest, type OutboundServices } from './handle-outbound-call';
import { applyOutboundDialEnd, applyOutboundStatus, outboundNotice } from './outbound-status';
import { dialOverTwiml, outboundNoticeTwiml, refusedDialTwiml } from './outbound-twiml';

/** POST /webhooks/twilio/voice/outbound: the TwiML App's voice URL, an agent's softphone placing a call. */
export function outboundCallWebhook(services: OutboundServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.outbound',
		schema: ZOutboundRequest,
		handle: async (call) => twimlResponse(await handleOutboundCall(services, { call, dedupeKey: deliveryKey('voice.outbound', [call.CallSid]) })),
		// Nothing was dialled: the agent hears that and may try again.
		onError: () => twimlResponse(refusedDialTwiml('Switchboard could not place it; please try again.'))
	});
}

/** POST /webhooks/twilio/voice/outbound/status: the dialled customer leg's progress. */
export function outboundStatusWebhook(services: OutboundServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.outbound.status',
		schema: ZVoiceStatusCallback,
		handle: async (status) => {
			await applyOutboundStatus(services, {
				status,
				dedupeKey: deliveryKey('voice.outbound.status', [status.CallSid, status.SequenceNumber ?? status.CallStatus])
			});
			return noContent();
		}
	});
}

/** POST /webhooks/twilio/voice/outbound/dial-action: the Dial to the customer ended. */
export function outboundDialActionWebhook(services: OutboundServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.outbound.dial-action',
		schema: ZDialAction,
		handle: async (dial) => {
			// Call control moved the call into its conference: the call goes on, and the agent's leg joins it.
			const moving = dial.DialCallStatus === 'completed' ? await conferenceTwimlForMovingLeg(services, dial.CallSid) : null;
			if (moving) return twimlResponse(moving);
			await applyOutboundDialEnd(services, { dial, dedupeKey: deliveryKey('voice.outbound.dial-action', [dial.CallSid, dial.DialCallStatus]) });
			return twimlResponse(dialOverTwiml());
		},
		onError: () => twimlResponse(dialOverTwiml())
	});
}

/** POST /webhooks/twilio/voice/outbound/notice: `<Number url>` on the customer's answered leg. */
export function outboundNoticeWebhook(services: OutboundServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'voice.outbound.notice',
		schema: ZVoiceRequest,
		handle: async (leg) => twimlResponse(await outboundNotice(services, leg.ParentCallSid)),
		onError: () => twimlResponse(outboundNoticeTwiml())
	});
}
