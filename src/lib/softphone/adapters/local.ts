/**
 * The softphone on the local carrier: an EventSource on GET /api/softphone/events registers a
 * carrier device for the signed-in agent, and call actions go to POST /api/softphone/action.
 * The browser reconnects a dropped stream by itself; each new stream is a new registration.
 */
import { errorMessage } from '../../errors';
import { Emitter } from '../emitter';
import type { SoftphoneCall, SoftphoneCallEvents, SoftphoneCallStatus, SoftphoneDevice, SoftphoneDeviceEvents } from '../device';
import { SoftphoneError } from '../device';
import type { DeviceChannelEvent, IncomingCallInfo, SoftphoneAction } from '../protocol';
import { CallMedia, type MediaLinkSettings } from '$lib/media/call-media';
import type { MediaSignal } from '$lib/media/media-signal';

/** Sends one action for a call; `extra` carries the action's fields (digits, signal). Rejects when refused. */
type Act = (call: LocalCall, action: SoftphoneAction, extra?: { digits?: string; signal?: MediaSignal; peer?: string }) => Promise<void>;

export interface LocalDeviceOptions {
	eventsUrl?: string;
	actionUrl?: string;
	EventSource?: typeof EventSource;
	fetch?: typeof fetch;
	/** How calls make their audio links (tests inject a peer connection and microphone). */
	media?: MediaLinkSettings;
}

class LocalCall extends Emitter<SoftphoneCallEvents> implements SoftphoneCall {
	readonly callSid: string;
	readonly from: string;
	readonly to: string;
	readonly customParameters: Map<string, string>;
	readonly direction: 'INCOMING' | 'OUTGOING';
	#muted = false;
	#status: SoftphoneCallStatus;
	readonly #act: Act;
	readonly #media: CallMedia;

	constructor(info: IncomingCallInfo, act: Act, mediaOptions: MediaLinkSettings = {}, direction: 'INCOMING' | 'OUTGOING' = 'INCOMING') {
		super();
		this.direction = direction;
		this.#status = direction === 'INCOMING' ? 'pending' : 'connecting';
		this.callSid = info.callSid;
		this.from = info.from;
		this.to = info.to;
		this.customParameters = new Map(Object.entries(info.customParameters));
		this.#act = act;
		this.#media = new CallMedia({
			...mediaOptions,
			send: (signal, peer) => this.#act(this, 'media', peer ? { signal, peer } : { signal }),
			onChange: (state, receiving) => this.emit('media', state, receiving)
		});
	}

	status(): SoftphoneCallStatus {
		return this.#status;
	}

	accept(): void {
		if (this.#status !== 'pending') return;
		this.#status = 'connecting';
		void this.#act(this, 'accept').catch(() => undefined);
	}
	reject(): void {
		void this.#act(this, 'reject').catch(() => undefined);
	}
	disconnect(): void {
		void this.#act(this, 'disconnect').catch(() => undefined);
	}
	mute(shouldMute = true): void {
		void this.#act(this, shouldMute ? 'mute' : 'unmute').catch(() => undefined);
	}
	isMuted(): boolean {
		return this.#muted;
	}
	sendDigits(digits: string): void {
		void this.#act(this, 'digits', { digits }).catch(() => undefined);
	}

	/** Called by the device with the channel's events for this call. */
	receive(event: DeviceChannelEvent): void {
		if (this.#status === 'closed') return;
		switch (event.type) {
			case 'ringing':
				this.#status = 'ringing';
				this.emit('ringing', event.hasEarlyMedia);
				break;
			case 'accept':
				this.#status = 'open';
				this.emit(event.type);
				break;
			case 'cancel':
			case 'disconnect':
			case 'reject':
				this.#status = 'closed';
				this.#media.close();
				this.emit(event.type);
				break;
			case 'mute':
				this.#muted = event.muted;
				this.#media.mute(event.muted);
				this.emit('mute', event.muted);
				break;
			case 'media':
				this.#media.handle(event.media);
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
	/** Outgoing calls that ended before `connect` answered (the stream can be quicker than the POST). */
	readonly #endedEarly = new Set<string>();
	#source: EventSource | null = null;
	#deviceId: string | null = null;

	constructor(options: LocalDeviceOptions = {}) {
		super();
		this.#options = {
			eventsUrl: options.eventsUrl ?? '/api/softphone/events',
			actionUrl: options.actionUrl ?? '/api/softphone/action',
			EventSource: options.EventSource ?? EventSource,
			fetch: options.fetch ?? ((input, init) => fetch(input, init)),
			media: options.media ?? {}
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
			const call = new LocalCall(event, (c, action, extra) => this.#act(c, action, extra), this.#options.media);
			this.#calls.set(call.callSid, call);
			this.emit('incoming', call);
			return;
		}
		if (event.type === 'outgoing') {
			this.#outgoing(event);
			return;
		}
		if (event.type === 'error' && !event.callSid) {
			this.emit('error', new SoftphoneError(event.code, event.message));
			return;
		}
		const call = this.#calls.get(event.callSid ?? '');
		if (!call) return;
		call.receive(event);
		if (event.type === 'cancel' || event.type === 'disconnect' || event.type === 'reject') {
			this.#calls.delete(call.callSid);
			if (call.direction === 'OUTGOING') this.#endedEarly.add(call.callSid);
		}
	}

	/**
	 * Device.connect on the local channel: the carrier places the call from this device and posts
	 * `params` to the TwiML App's voice URL. Resolves with the call (connecting, or already further
	 * on if its events came first); rejects with the server's reason when it refuses.
	 */
	async connect(options: { params: Record<string, string> }): Promise<SoftphoneCall> {
		if (!this.#deviceId) throw new SoftphoneError(31005, 'The softphone is not connected; wait until it is ready.');
		let response: Response;
		try {
			response = await this.#options.fetch(this.#options.actionUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ deviceId: this.#deviceId, action: 'connect', params: options.params })
			});
		} catch (error) {
			throw new SoftphoneError(31005, errorMessage(error));
		}
		const body = (await response.json().catch(() => ({}))) as Partial<IncomingCallInfo> & { message?: string };
		if (!response.ok || !body.callSid) throw new SoftphoneError(31000, body.message ?? `The call could not be placed (HTTP ${response.status}).`);
		return this.#outgoing(body as IncomingCallInfo);
	}

	/** The call object of a call this device placed, made once (from the stream or the connect answer, whichever comes first). */
	#outgoing(info: IncomingCallInfo): LocalCall {
		const known = this.#calls.get(info.callSid);
		if (known) return known;
		const call = new LocalCall(info, (c, action, extra) => this.#act(c, action, extra), this.#options.media, 'OUTGOING');
		if (this.#endedEarly.delete(info.callSid)) {
			call.receive({ type: 'disconnect', callSid: info.callSid });
			return call;
		}
		this.#calls.set(call.callSid, call);
		return call;
	}

	async #act(call: LocalCall, action: SoftphoneAction, extra: { digits?: string; signal?: MediaSignal; peer?: string } = {}): Promise<void> {
		// A refused audio signal fails the audio link (the MediaLink shows it), not the call.
		const media = action === 'media';
		if (!this.#deviceId) {
			if (media) throw new Error('The softphone is not connected.');
			call.fail(new SoftphoneError(31005, 'The softphone is not connected.'));
			return;
		}
		try {
			const response = await this.#options.fetch(this.#options.actionUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ deviceId: this.#deviceId, callSid: call.callSid, action, ...extra })
			});
			if (response.ok) return;
			const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
			if (media) throw new Error(body.message ?? `The audio signal was refused (HTTP ${response.status}).`);
			if (body.code === 'CALL_OVER') {
				this.#calls.delete(call.callSid);
				call.receive({ type: 'disconnect', callSid: call.callSid });
				return;
			}
			call.fail(new SoftphoneError(31000, body.message ?? `The softphone action failed (HTTP ${response.status}).`));
		} catch (error) {
			if (media) throw error;
			call.fail(new SoftphoneError(31005, errorMessage(error)));
		}
	}

	#endAll(kind: 'disconnect'): void {
		for (const call of this.#calls.values()) call.receive({ type: kind, callSid: call.callSid });
		this.#calls.clear();
	}
}
