/**
 * The transfer state machine's share of conference events (TRANSFER owns this file and replaces
 * this body). Called by call-control/conference-events.ts after call control's own handling.
 */
import type { ConferenceEvent, ConferenceEventServices } from '../call-control/conference-events';

/**
 * Resolve 'handled' when the transfer machine took care of this event's consequences (e.g. the
 * last agent left because the customer is being transferred): call control then does not apply
 * its own "customer left alone" rule.
 */
export function onTransferConferenceEvent(services: ConferenceEventServices, event: ConferenceEvent): Promise<'handled' | void> {
	void services;
	void event;
	return Promise.resolve();
}
