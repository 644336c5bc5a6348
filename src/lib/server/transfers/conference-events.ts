/**
 * The conference webhook's transfer half: CONTROL's conference-events.ts hands every verified
 * conference status callback here after its own handling. A participant joining or leaving is an
 * event of the open transfer in that conference (the target answered, someone hung up); events
 * for a conference with no open transfer, or that the machine finds stale, change nothing.
 */
import { api } from '$convex/_generated/api';
import type { ConferenceEvent, ConferenceEventServices } from '../call-control/conference-events';
import { SYSTEM_IDENTITY } from '../live/hot';
import { moveTransfer, type MoveEvent } from './move-transfer';
import { transferDeps } from './transfer-services';

/** The Twilio fields of a conference status callback that matter here. */
export type ConferenceEventFields = Pick<ConferenceEvent, 'StatusCallbackEvent' | 'ConferenceSid' | 'FriendlyName' | 'CallSid' | 'ParticipantLabel'>;

export function transferEventOf(
	event: ConferenceEventFields,
	row: { fromAgentId: string; toAgentId?: string | undefined; toNumber?: string | undefined; targetCallSid?: string | undefined; customerCallSid?: string | undefined; agentCallSid?: string | undefined }
): MoveEvent | null {
	const label = event.ParticipantLabel ?? '';
	const isTarget = (row.toAgentId && label === `agent:${row.toAgentId}`) || (row.toNumber && label === `external:${row.toNumber}`) || (row.targetCallSid && event.CallSid === row.targetCallSid);
	if (event.StatusCallbackEvent === 'participant-join') return isTarget ? 'target-answered' : null;
	if (event.StatusCallbackEvent === 'participant-leave') {
		if (isTarget) return 'target-hangup';
		if (label === 'customer' || (row.customerCallSid && event.CallSid === row.customerCallSid)) return 'customer-hangup';
		if (label === `agent:${row.fromAgentId}` || (row.agentCallSid && event.CallSid === row.agentCallSid)) return 'first-agent-hangup';
		return null;
	}
	if (event.StatusCallbackEvent === 'conference-end') return 'customer-hangup';
	return null;
}

/**
 * Resolves 'handled' when the transfer machine took care of this event's consequences (e.g. the
 * last agent left because the customer is being transferred): call control then does not apply
 * its own "customer left alone" rule.
 */
export async function onTransferConferenceEvent(services: ConferenceEventServices, event: ConferenceEventFields): Promise<'handled' | void> {
	const row =
		(await services.hot.query(api.transfers.openForConference, { conferenceName: event.FriendlyName }, SYSTEM_IDENTITY)) ??
		(await services.hot.query(api.transfers.openForConference, { conferenceName: event.ConferenceSid }, SYSTEM_IDENTITY));
	if (!row) return;
	const move = transferEventOf(event, row);
	if (!move) return;
	await moveTransfer(transferDeps(services), { transferId: row.transferId, event: move });
	return 'handled';
}
