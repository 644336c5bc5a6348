/**
 * The transfer machine's effects carried out on the carrier: the call's conference (CONTROL's
 * ensureConference moves a plain bridge into it) and its participants through the telephony
 * port's conference methods, the customer's leg redirected into a queue. Effects run in the
 * machine's order; a participant already gone is not an error (the port says so).
 */
import { api } from '$convex/_generated/api';
import type { Doc } from '$convex/_generated/dataModel';
import type { TelephonyPort } from '../adapters/telephony/port';
import { agentClientIdentity } from '../calls/caller-number';
import { HOLD_MUSIC_PATH } from '../calls/hold-music';
import { enqueue, response, say } from '../calls/twiml';
import { VOICE_PATHS } from '../calls/voice-paths';
import type { ConferenceRef } from '../call-control/conference';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';
import type { TransferEffect } from '$lib/transfers/transfer-machine';

export type { ConferenceRef };

/** The carrier operations a transfer needs, in the telephony port's terms (CALL-CONTROL.md). */
export interface TransferCarrier {
	/** Move the call into its conference if it is not there yet (idempotent). */
	ensureConference(callSid: string): Promise<ConferenceRef>;
	addParticipant(
		conference: string,
		input: { from: string; to: string; label: string; timeoutSeconds: number; earlyMedia: boolean; startConferenceOnEnter: boolean; endConferenceOnExit: boolean }
	): Promise<{ callSid: string; conferenceSid: string }>;
	updateParticipant(conferenceSid: string, callSid: string, input: { hold: boolean; holdUrl?: string }): Promise<void>;
	removeParticipant(conferenceSid: string, callSid: string): Promise<void>;
	endConference(conferenceSid: string): Promise<void>;
	/** Replace a live leg's TwiML (Twilio: calls(sid).update({ twiml })). */
	redirect(callSid: string, twiml: string): Promise<void>;
}

/**
 * The carrier as the app wires it: the telephony port's conference methods and call control's
 * ensureConference (passed in, so this module does not reach into call-control's services).
 */
export function portCarrier(telephony: TelephonyPort, ensureConference: (callSid: string) => Promise<ConferenceRef>): TransferCarrier {
	return {
		ensureConference,
		addParticipant: (conference, input) => telephony.addConferenceParticipant(conference, input),
		updateParticipant: (sid, callSid, input) => telephony.updateConferenceParticipant(sid, callSid, input),
		removeParticipant: (sid, callSid) => telephony.removeConferenceParticipant(sid, callSid),
		endConference: (sid) => telephony.endConference(sid),
		redirect: async (callSid, twiml) => {
			await telephony.updateCall(callSid, { twiml });
		}
	};
}

export const TRANSFER_ANNOUNCEMENT = 'Please hold while we transfer your call.';

/** The customer's leg into a queue's line: a word, then the queue's hold loop (position announcement and music). */
export function requeueTwiml(queueName: string): string {
	return response(say(TRANSFER_ANNOUNCEMENT), enqueue(queueName, { waitUrl: VOICE_PATHS.wait, action: VOICE_PATHS.enqueueAction }));
}

export interface CarryOutContext {
	carrier: TransferCarrier;
	hot: HotState;
	/** Our number the target's leg shows (the call's Switchboard number). */
	ourNumber: string;
	/** The call's own queue and its skills, for a customer who goes back into line. */
	original: { queueName: string; requiredSkills: string[] };
	/** The transfer's target queue and its skills, for a queue transfer. */
	target?: { queueName: string; requiredSkills: string[] };
	offerSeconds: number;
}

type Row = Doc<'transfer_queue'>;

/** The legs a row knows, conference included; the first effect that needs them moves the call into its conference. */
async function legs(ctx: CarryOutContext, row: Row): Promise<Row & { conferenceName: string; customerCallSid: string; agentCallSid: string }> {
	if (row.conferenceName && row.customerCallSid && row.agentCallSid) return row as Row & { conferenceName: string; customerCallSid: string; agentCallSid: string };
	const ref = await ctx.carrier.ensureConference(row.callSid);
	const known = {
		conferenceName: ref.conferenceName,
		customerCallSid: ref.customerCallSid,
		agentCallSid: ref.agentCallSid,
		...(ref.conferenceSid ? { conferenceSid: ref.conferenceSid } : {})
	};
	await ctx.hot.mutation(api.transfers.setLegs, { transferId: row.transferId, ...known }, SYSTEM_IDENTITY);
	Object.assign(row, known);
	return row as Row & { conferenceName: string; customerCallSid: string; agentCallSid: string };
}

const conf = (row: Row & { conferenceName: string }) => row.conferenceSid ?? row.conferenceName;

function targetAddress(row: Row): { to: string; label: string } {
	if (row.targetKind === 'agent' && row.toAgentId) return { to: `client:${agentClientIdentity(row.toAgentId)}`, label: `agent:${row.toAgentId}` };
	if (row.targetKind === 'number' && row.toNumber) return { to: row.toNumber, label: `external:${row.toNumber}` };
	throw new AppError('BAD_REQUEST', 'BAD_TARGET', 'This transfer has no one to ring.');
}

/** Carry out one move's effects, in order. Returns the row with the legs learnt on the way. */
export async function carryOut(ctx: CarryOutContext, row: Row, effects: readonly TransferEffect[]): Promise<Row> {
	for (const effect of effects) {
		switch (effect.type) {
			case 'hold-customer': {
				const r = await legs(ctx, row);
				await ctx.carrier.updateParticipant(conf(r), r.customerCallSid, { hold: true, holdUrl: HOLD_MUSIC_PATH });
				break;
			}
			case 'unhold-customer': {
				const r = await legs(ctx, row);
				await ctx.carrier.updateParticipant(conf(r), r.customerCallSid, { hold: false });
				break;
			}
			case 'ring-target': {
				const r = await legs(ctx, row);
				const added = await ctx.carrier.addParticipant(r.conferenceName, {
					from: ctx.ourNumber,
					...targetAddress(r),
					timeoutSeconds: ctx.offerSeconds,
					earlyMedia: false,
					startConferenceOnEnter: true,
					endConferenceOnExit: false
				});
				row.targetCallSid = added.callSid;
				row.conferenceSid = added.conferenceSid;
				await ctx.hot.mutation(api.transfers.setLegs, { transferId: row.transferId, targetCallSid: added.callSid, conferenceSid: added.conferenceSid }, SYSTEM_IDENTITY);
				break;
			}
			case 'drop-target':
				if (row.targetCallSid && (row.conferenceSid ?? row.conferenceName)) await ctx.carrier.removeParticipant(row.conferenceSid ?? row.conferenceName!, row.targetCallSid);
				break;
			case 'drop-first-agent': {
				const r = await legs(ctx, row);
				await ctx.carrier.removeParticipant(conf(r), r.agentCallSid);
				break;
			}
			case 'requeue-customer': {
				const queue = effect.queue === 'target' && ctx.target ? ctx.target : ctx.original;
				// Into the conference first, as every other effect: redirecting the customer out of a plain
				// bridge hangs up the first agent's leg, which drop-first-agent could then not move in to drop.
				const { customerCallSid } = await legs(ctx, row);
				await ctx.hot.mutation(
					api.transfers.requeueCaller,
					{
						callSid: customerCallSid,
						from: row.callerNumber,
						to: ctx.ourNumber,
						...(row.customerId ? { customerId: row.customerId } : {}),
						...(row.customerName ? { customerName: row.customerName } : {}),
						...queue
					},
					SYSTEM_IDENTITY
				);
				await ctx.carrier.redirect(customerCallSid, requeueTwiml(queue.queueName));
				break;
			}
			case 'end-conference':
				if (row.conferenceSid) await ctx.carrier.endConference(row.conferenceSid);
				break;
			case 'mark-accepted':
			case 'close':
				break;
		}
	}
	return row;
}
