/**
 * An agent's softphone places a call (Device.connect with To and custom parameters; Twilio
 * posts it to the TwiML App's voice URL as From=client:agent_<id>). In order:
 *   1. the number must be a number at all (else the gate refuses it, below, without hot state);
 *   2. hot state admits the dial in one mutation (activeCalls.claimDial): one live call per
 *      number and per agent, so concurrent dials of one number get exactly one through;
 *   3. one archive transaction runs the gate (outbound/gate.ts) and, if it allows the dial,
 *      writes the outbound call row and its first event, linked to the attempt row;
 *   4. TwiML: `<Dial callerId><Number>` to the customer, or a spoken refusal and hang-up, so a
 *      refused dial never reaches the customer's phone. A claim whose archive step refused or
 *      failed is released.
 * A retried delivery of the same CallSid gets the same Dial back and writes nothing.
 *
 * The agent can hang up while this request is on its way: Twilio then posts the softphone leg's
 * final status (canceled) to the status route, which may get there first and end a call row of
 * its own. The archive step finds that row ended, writes the dial's details on it and answers a
 * hang-up, and the claim is released: the agent is free again (claimed and never released, the
 * agent stayed busy for good, the softphone's status locked).
 */
import { api } from '$convex/_generated/api';
import { z } from 'zod';
import { displayName } from '../crm/display-name';
import { recordUnknownCaller } from '../crm/record-unknown-caller';
import type { Db, Tx } from '../db/client';
import { calls } from '../db/schema/calls';
import { customers } from '../db/schema/crm';
import { SYSTEM_IDENTITY } from '../live/hot';
import { ZVoiceRequest } from '../webhooks/voice-params';
import { addCallEvent, loadCall, staffIdOrNull, upsertCall } from '../calls/call-archive';
import { agentIdFromClient } from '../calls/caller-number';
import { agentPickupTarget, handleAgentPickup } from '../calls/handle-agent-pickup';
import { callOverTwiml } from '../calls/routing-twiml';
import { liveTranscriptionFor } from '../calls/live-transcription-twiml';
import type { VoiceServices } from '../calls/voice-services';
import { eq } from 'drizzle-orm';
import { chooseCallerId, type CallerId } from './caller-id';
import { outboundClock } from './clock';
import { campaignAttemptToReuse, gateAttempt, recordRefusedAttempt, setAttemptCall, type GateAttemptInput } from './gate';
import { dialCustomerTwiml, refusedDialTwiml } from './outbound-twiml';
import { readRecipient } from './recipient';

export type OutboundServices = VoiceServices;

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.optional()
		.transform((v) => (v ? v : undefined));

/** What Twilio posts for a Client-originated call: its own fields plus the softphone's custom parameters. */
export const ZOutboundRequest = ZVoiceRequest.extend({
	ApplicationSid: optionalText(64),
	Caller: optionalText(512),
	customerId: z.uuid({ error: 'customerId must be a customer id (uuid)' }).optional(),
	source: z.enum(['manual', 'callback', 'campaign']).default('manual'),
	campaignId: optionalText(64),
	leadId: optionalText(64),
	/** The allowed attempt a campaign's own gate wrote for this dial (campaignAttemptToReuse). */
	outboundAttemptId: z.uuid({ error: 'outboundAttemptId must be an attempt id (uuid)' }).optional(),
	/** A number of ours to call from (a campaign's); ignored when it is not ours. */
	callerId: optionalText(32)
});
export type TOutboundRequest = z.infer<typeof ZOutboundRequest>;

export async function handleOutboundCall(services: OutboundServices, input: { call: TOutboundRequest; dedupeKey: string }): Promise<string> {
	const { call } = input;
	const pickup = agentPickupTarget(call);
	if (pickup) return handleAgentPickup(services, { call, ...pickup, dedupeKey: input.dedupeKey });
	const agentId = agentIdFromClient(call.From);
	if (!agentId) return refusedDialTwiml('Only an agent softphone can place calls.');

	const retried = await loadCall(services.db, call.CallSid);
	if (retried?.call.direction === 'outbound') {
		if (retried.call.endedAt) return callOverTwiml();
		if (retried.call.toE164 && retried.call.fromE164) {
			return dialCustomerTwiml({ number: retried.call.toE164, callerId: retried.call.fromE164, transcription: liveTranscriptionFor(services.config, 'agent') });
		}
	}

	const now = outboundClock(services.config)();
	const gateInput: GateAttemptInput = {
		actor: { id: agentId },
		to: call.To,
		channel: 'voice',
		source: call.source,
		campaignId: call.campaignId,
		leadId: call.leadId,
		now,
		rules: services.config.outbound.rules
	};
	const recipient = readRecipient(call.To, gateInput.rules);
	if (recipient.ok) {
		const callerId = await chooseCallerId(services.db, { customerE164: recipient.e164, requested: call.callerId });
		const customer = await customerFor(services.db, call.customerId);
		const claim = await services.hot.mutation(
			api.activeCalls.claimDial,
			{ callSid: call.CallSid, agentId, number: recipient.e164, from: callerId.number, customerId: customer?.id, customerName: customer?.name },
			SYSTEM_IDENTITY
		);
		if (!claim.ok) {
			const refused = await services.db.transaction((tx) =>
				recordRefusedAttempt(tx, { ...gateInput, from: callerId.number }, claim.code, claim.message)
			);
			return refusedDialTwiml(refused.message);
		}
		gateInput.from = callerId.number;
		try {
			const twiml = await admit(services, { call, agentId, gateInput, callerId, customerId: customer?.id ?? null });
			if (twiml.refused) await release(services, call.CallSid);
			return twiml.body;
		} catch (error) {
			await release(services, call.CallSid);
			throw error;
		}
	}
	const refused = await services.db.transaction((tx) => gateAttempt(tx, gateInput));
	return refused.ok ? refusedDialTwiml('The number could not be read.') : refusedDialTwiml(refused.message);
}

/** The archive step: the gate, then the call row and its first event, in one transaction. */
async function admit(
	services: OutboundServices,
	input: { call: TOutboundRequest; agentId: string; gateInput: GateAttemptInput; callerId: CallerId; customerId: string | null }
): Promise<{ refused: boolean; body: string }> {
	const { call, gateInput, callerId } = input;
	return services.db.transaction(async (tx) => {
		const gate = (await campaignGate(tx, input)) ?? (await gateAttempt(tx, gateInput));
		if (!gate.ok) return { refused: true, body: refusedDialTwiml(gate.message) };
		const customerId = input.customerId ?? (await recordUnknownCaller(tx, { phone: gate.e164 })).customer.id;
		const row = await upsertCall(
			tx,
			// The call's own times are the real clock's; only the gate reads the outbound clock.
			{ callSid: call.CallSid, direction: 'outbound', receivedAt: new Date() },
			{
				// A row the status route made first (the agent hung up meanwhile) is this dial's all the same.
				direction: 'outbound',
				fromRaw: call.From,
				toRaw: call.To,
				fromE164: callerId.number,
				toE164: gate.e164,
				customerId,
				queue: callerId.queue
			}
		);
		await tx
			.update(calls)
			.set({ agentId: staffIdOrNull(input.agentId) })
			.where(eq(calls.id, row.id));
		if (gate.attemptId) await setAttemptCall(tx, gate.attemptId, call.CallSid);
		// The agent hung up before this answer: nothing is dialled, and the claim is released.
		if (row.endedAt) return { refused: true, body: callOverTwiml() };
		await addCallEvent(tx, {
			callId: row.id,
			kind: 'dialled',
			payload: {
				agentId: input.agentId,
				to: gate.e164,
				callerId: callerId.number,
				attemptId: gate.attemptId,
				source: gateInput.source,
				recipientLocalTime: gate.recipientLocalTime
			}
		});
		return { refused: false, body: dialCustomerTwiml({ number: gate.e164, callerId: callerId.number, transcription: liveTranscriptionFor(services.config, 'agent') }) };
	});
}

/**
 * A campaign dial the campaign already gated (its allowed attempt, passed as outboundAttemptId)
 * is not gated twice: that attempt is the dial's, linked to this call. Null: gate as usual.
 */
async function campaignGate(tx: Tx, input: { call: TOutboundRequest; agentId: string; gateInput: GateAttemptInput }) {
	const { call, gateInput } = input;
	const recipient = readRecipient(call.To, gateInput.rules);
	if (call.source !== 'campaign' || !call.outboundAttemptId || !recipient.ok) return null;
	const reused = await campaignAttemptToReuse(tx, {
		attemptId: call.outboundAttemptId,
		agentId: input.agentId,
		e164: recipient.e164,
		campaignId: call.campaignId,
		leadId: call.leadId,
		now: gateInput.now
	});
	return reused ? ({ ok: true, e164: recipient.e164, attemptId: reused.attemptId, recipientLocalTime: reused.recipientLocalTime } as const) : null;
}

async function customerFor(db: Db, customerId: string | undefined): Promise<{ id: string; name: string } | null> {
	if (!customerId) return null;
	const [row] = await db
		.select({ id: customers.id, firstName: customers.firstName, lastName: customers.lastName, company: customers.company })
		.from(customers)
		.where(eq(customers.id, customerId));
	if (!row) return null;
	return { id: row.id, name: displayName(row) };
}

async function release(services: OutboundServices, callSid: string): Promise<void> {
	await services.hot.mutation(api.activeCalls.releaseDial, { callSid }, SYSTEM_IDENTITY);
}
