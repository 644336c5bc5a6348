/**
 * The transfer state machine's share of conference events (TRANSFER owns this file and replaces
 * this body). Called by call-control/conference-events.ts after call control's own handling.
 */
import type { ConferenceEvent, ConferenceEventServices } from '../call-control/conference-events';

export function onTransferConferenceEvent(services: ConferenceEventServices, event: ConferenceEvent): Promise<void> {
	void services;
	void event;
	return Promise.resolve();
}
