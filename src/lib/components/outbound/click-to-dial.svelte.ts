/**
 * One Call button's state: the gate's pre-check first (a refusal shows its rule, the
 * recipient's local time and when calling opens, before anything reaches the carrier), then
 * the docked softphone places the call (requestDial).
 */
import { requestDial } from '$lib/softphone/dial-request';
import { errorMessage, trpc } from '$lib/trpc';

export interface DialRefusal {
	rule: string;
	message: string;
	/** `10:42 AM EST`, when known. */
	localTime: string | null;
	/** When calling opens, in the agent's own time, when the rule names one. */
	opensAt: string | null;
}

const clock = (iso: string, timeZone?: string) =>
	new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));

const opens = (iso: string) =>
	new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));

/** `2026-12-07T10:00-05:00` -> the same instant for Intl. */
const isoInstant = (local: string) => local.replace(/T(\d\d:\d\d)([+-])/, 'T$1:00$2');

/** A gate refusal as the agent reads it: the rule, the recipient's local time and when it opens. */
export function refusalOf(check: {
	rule?: string | null;
	message?: string | null;
	recipientLocalTime?: string | null;
	timeZone?: string | null;
	opensAt?: string | null;
}): DialRefusal {
	const zone = check.timeZone?.split(',')[0];
	return {
		rule: check.rule ?? 'REFUSED',
		message: check.message ?? 'This number cannot be reached now.',
		localTime: check.recipientLocalTime && zone ? clock(isoInstant(check.recipientLocalTime), zone) : null,
		opensAt: check.opensAt ? opens(check.opensAt) : null
	};
}

export class ClickToDial {
	busy = $state(false);
	refusal = $state<DialRefusal | null>(null);
	error = $state<string | null>(null);

	async call(to: string, params: Record<string, string>): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		this.refusal = null;
		this.error = null;
		try {
			const check = await trpc.outbound.precheck.mutate({ to, channel: 'voice' });
			if (!check.ok) {
				this.refusal = refusalOf({ ...check, message: check.message ?? 'This number cannot be called now.' });
				return;
			}
			const placed = await requestDial(check.e164 ?? to, params);
			if (!placed) this.error = 'The softphone did not place the call; it says why.';
		} catch (error) {
			this.error = errorMessage(error);
		} finally {
			this.busy = false;
		}
	}
}
