/**
 * The customer phone page's state: one handset's calls and texts from the carrier's event
 * stream (re-opened when the caller ID changes), and the actions that drive the carrier.
 */
import { E164, type PhoneAttachmentInput, type PhoneCallView, type PhoneSnapshot } from './phone-types';

const LIVE_STATUSES = new Set(['queued', 'initiated', 'ringing', 'in-progress']);

async function post(url: string, body: unknown): Promise<void> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (response.ok) return;
	const problem = (await response.json().catch(() => ({}))) as { message?: string };
	throw new Error(problem.message ?? `The carrier refused (HTTP ${response.status}).`);
}

export class PhoneClient {
	snapshot = $state<PhoneSnapshot | null>(null);
	connected = $state(false);
	error = $state<string | null>(null);
	busy = $state(false);

	/** The call this phone placed that is not over yet. */
	readonly liveCall = $derived<PhoneCallView | null>(
		this.snapshot?.calls.find((c) => c.direction === 'outgoing' && LIVE_STATUSES.has(c.status)) ?? null
	);
	/** A call from Switchboard ringing this phone. */
	readonly ringing = $derived<PhoneCallView | null>(this.snapshot?.calls.find((c) => c.direction === 'incoming' && c.status === 'ringing') ?? null);
	readonly lastCall = $derived<PhoneCallView | null>(this.snapshot?.calls[0] ?? null);

	#source: EventSource | null = null;
	#number = '';

	/** Follow the handset with this number; does nothing until it is a valid E.164 number. */
	watch(number: string): void {
		if (number === this.#number && this.#source) return;
		this.close();
		this.#number = number;
		this.snapshot = null;
		if (!E164.test(number)) return;
		const source = new EventSource(`/phone/api/events?number=${encodeURIComponent(number)}`);
		this.#source = source;
		source.onopen = () => (this.connected = true);
		source.onerror = () => (this.connected = false);
		source.onmessage = (message: MessageEvent<string>) => {
			this.connected = true;
			this.snapshot = JSON.parse(message.data) as PhoneSnapshot;
		};
	}

	close(): void {
		this.#source?.close();
		this.#source = null;
		this.connected = false;
	}

	call(from: string, to: string): Promise<void> {
		return this.#run(() => post('/phone/api/call', { from, to }));
	}

	text(from: string, to: string, body: string, attachment?: PhoneAttachmentInput): Promise<void> {
		return this.#run(() => post('/phone/api/text', { from, to, body, ...(attachment ? { attachment } : {}) }));
	}

	act(callSid: string, action: 'hangup' | 'answer' | 'reject'): Promise<void> {
		return this.#run(() => post(`/phone/api/calls/${callSid}/${action}`, {}));
	}

	pressKeys(callSid: string, digits: string): Promise<void> {
		return this.#run(() => post(`/phone/api/calls/${callSid}/digits`, { digits }));
	}

	async #run(action: () => Promise<void>): Promise<void> {
		this.busy = true;
		this.error = null;
		try {
			await action();
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		} finally {
			this.busy = false;
		}
	}
}
