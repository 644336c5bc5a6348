/**
 * The softphone on the local carrier: an EventSource on GET /api/softphone/events registers a
 * carrier device for the signed-in agent, and call actions go to POST /api/softphone/action.
 * The browser reconnects a dropped stream by itself; each new stream is a new registration.
 */
import { Emitter } from '../emitter';
import type { SoftphoneCall, SoftphoneCallEvents, SoftphoneDevice, SoftphoneDeviceEvents } from '../device';
import { SoftphoneError } from '../device';
import type { DeviceChannelEvent, IncomingCallInfo, SoftphoneAction } from '../protocol';

export interface LocalDeviceOptions {
	eventsUrl?: string;
	actionUrl?: string;
	EventSource?: typeof EventSource;
	fetch?: typeof fetch;
}

class LocalCall extends Emitter<SoftphoneCallEvents> implements SoftphoneCall {
	readonly callSid: string;
	readonly from: string;
	readonly to: string;
	readonly customParameters: Map<string, string>;
	#muted = false;
	readonly #act: (call: LocalCall, action: SoftphoneAction, digits?: string) => void;

	constructor(info: IncomingCallInfo, act: (call: LocalCall, action: SoftphoneAction, digits?: string) => void) {
		super();
		this.callSid = info.callSid;
		this.from = info.from;
		this.to = info.to;
		this.customParameters = new Map(Object.entries(info.customParameters));
		this.#act = act;
	}

	accept(): void {
		this.#act(this, 'accept');
	}
	reject(): void {
		this.#act(this, 'reject');
	}
	disconnect(): void {
		this.#act(this, 'disconnect');
	}
	mute(shouldMute = true): void {
		this.#act(this, shouldMute ? 'mute' : 'unmute');
	}
	isMuted(): boolean {
		return this.#muted;
	}
	sendDigits(digits: string): void {
		this.#act(this, 'digits', digits);
	}

	/** Called by the device with the channel's events for this call. */
	receive(event: DeviceChannelEvent): void {
		switch (event.type) {
			case 'accept':
			case 'cancel':
			case 'disconnect':
			case 'reject':
				this.emit(event.type);
				break;
			case 'mute':
				this.#muted = event.muted;
				this.emit('mute', event.muted);
				break;
			case 'audio':
				this.emit('audio', event.text);
				break;
			case 'error':
				this.emit('error', new SoftphoneError(event.code, event.message));
				break;
		}
	}

	fail(error: SoftphoneError): void {
		this.emit('error', error);
	}
}

export class LocalSoftphoneDevice extends Emitter<SoftphoneDeviceEvents> implements SoftphoneDevice {
	readonly #options: Required<LocalDeviceOptions>;
	readonly #calls = new Map<string, LocalCall>();
	#source: EventSource | null = null;
	#deviceId: string | null = null;

	constructor(options: LocalDeviceOptions = {}) {
		super();
		this.#options = {
			eventsUrl: options.eventsUrl ?? '/api/softphone/events',
			actionUrl: options.actionUrl ?? '/api/softphone/action',
			EventSource: options.EventSource ?? EventSource,
			fetch: options.fetch ?? ((input, init) => fetch(input, init))
		};
	}

	register(): Promise<void> {
		if (this.#source) return Promise.resolve();
		const source = new this.#options.EventSource(this.#options.eventsUrl);
		this.#source = source;
		source.onmessage = (message: MessageEvent<string>) => this.#receive(JSON.parse(message.data) as DeviceChannelEvent);
		source.onerror = () => {
			// The stream dropped: the server unregistered this device. EventSource retries unless closed.
			if (this.#deviceId) {
				this.#deviceId = null;
				this.#endAll('disconnect');
				this.emit('unregistered');
			}
			if (source.readyState === source.CLOSED) {
				this.#source = null;
				this.emit('error', new SoftphoneError(31005, 'The softphone lost its connection to Switchboard.'));
			}
		};
		return Promise.resolve();
	}

	unregister(): Promise<void> {
		this.#source?.close();
		this.#source = null;
		if (this.#deviceId) {
			this.#deviceId = null;
			this.#endAll('disconnect');
			this.emit('unregistered');
		}
		return Promise.resolve();
	}

	/** The local channel authenticates with the session cookie; tokens only matter to Twilio. */
	updateToken(): void {}

	destroy(): void {
		void this.unregister();
		this.removeAllListeners();
	}

	#receive(event: DeviceChannelEvent): void {
		if (event.type === 'registered') {
			this.#deviceId = event.deviceId;
			this.emit('registered');
			return;
		}
		if (event.type === 'unregistered') {
			this.#deviceId = null;
			this.emit('unregistered');
			return;
		}
		if (event.type === 'incoming') {
			const call = new LocalCall(event, (c, action, digits) => void this.#act(c, action, digits));
			this.#calls.set(call.callSid, call);
			this.emit('incoming', call);
			return;
		}
		if (event.type === 'error' && !event.callSid) {
			this.emit('error', new SoftphoneError(event.code, event.message));
			return;
		}
		const call = this.#calls.get(event.callSid ?? '');
		if (!call) return;
		call.receive(event);
		if (event.type === 'cancel' || event.type === 'disconnect' || event.type === 'reject') this.#calls.delete(call.callSid);
	}

	async #act(call: LocalCall, action: SoftphoneAction, digits?: string): Promise<void> {
		if (!this.#deviceId) {
			call.fail(new SoftphoneError(31005, 'The softphone is not connected.'));
			return;
		}
		try {
			const response = await this.#options.fetch(this.#options.actionUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ deviceId: this.#deviceId, callSid: call.callSid, action, ...(digits ? { digits } : {}) })
			});
			if (response.ok) return;
			const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
			if (body.code === 'CALL_OVER') {
				this.#calls.delete(call.callSid);
				call.receive({ type: 'disconnect', callSid: call.callSid });
				return;
			}
			call.fail(new SoftphoneError(31000, body.message ?? `The softphone action failed (HTTP ${response.status}).`));
		} catch (error) {
			call.fail(new SoftphoneError(31005, error instanceof Error ? error.message : String(error)));
		}
	}

	#endAll(kind: 'disconnect'): void {
		for (const call of this.#calls.values()) call.receive({ type: kind, callSid: call.callSid });
		this.#calls.clear();
	}
}
