/**
 * How the rest of the page asks the docked softphone to place a call (a Call button on a record,
 * a callback, Next call): a window event the running Softphone answers, so a button needs no
 * reference to it. Resolves true once the call is placed (its progress shows in the softphone),
 * false when it was not (the softphone shows why: not ready, already on a call, refused).
 */
export const DIAL_EVENT = 'switchboard:dial';

export interface DialRequest {
	/** The number to call (E.164). */
	to: string;
	/** Custom parameters for the TwiML App's voice URL (customerId, campaignId, leadId...); `To` is added. */
	params: Record<string, string>;
	/** Called by the softphone: whether the call was placed. */
	settle(placed: boolean): void;
}

/** Ask the softphone in this window to call `to`; false at once when no softphone is running here. */
export function requestDial(to: string, params: Record<string, string> = {}): Promise<boolean> {
	if (typeof window === 'undefined') return Promise.resolve(false);
	return new Promise((resolve) => {
		let settled = false;
		const settle = (placed: boolean) => {
			if (settled) return;
			settled = true;
			resolve(placed);
		};
		const event = new CustomEvent<DialRequest>(DIAL_EVENT, { detail: { to, params, settle }, cancelable: true });
		// A softphone that takes the request cancels the event; nobody did: there is no softphone.
		if (window.dispatchEvent(event)) settle(false);
	});
}
