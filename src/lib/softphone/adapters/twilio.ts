/**
 * The softphone on real Twilio: @twilio/voice-sdk's Device with Switchboard's access token.
 * Loaded with a dynamic import from the softphone state only when TELEPHONY=twilio, so the SDK
 * never reaches local mode or the server.
 */
import type { Call, Device } from '@twilio/voice-sdk';
import { Emitter } from '../emitter';
import {
	SoftphoneError,
	type SoftphoneCall,
	type SoftphoneCallEvents,
	type SoftphoneCallStatus,
	type SoftphoneDevice,
	type SoftphoneDeviceEvents
} from '../device';

function toError(error: unknown): SoftphoneError {
	const e = error as { code?: unknown; message?: unknown; description?: unknown };
	const code = typeof e.code === 'number' ? e.code : 31000;
	const message = typeof e.message === 'string' && e.message ? e.message : typeof e.description === 'string' ? e.description : String(error);
	return new SoftphoneError(code, message);
}

class TwilioCall extends Emitter<SoftphoneCallEvents> implements SoftphoneCall {
	readonly #call: Call;

	constructor(call: Call) {
		super();
		this.#call = call;
		call.on('ringing', (hasEarlyMedia: boolean) => this.emit('ringing', hasEarlyMedia));
		call.on('accept', () => this.emit('accept'));
		call.on('cancel', () => this.emit('cancel'));
		call.on('disconnect', () => this.emit('disconnect'));
		call.on('reject', () => this.emit('reject'));
		call.on('mute', (muted: boolean) => this.emit('mute', muted));
		call.on('error', (error: unknown) => this.emit('error', toError(error)));
	}

	/** An outgoing call's CallSid arrives with its ringing or answer (the SDK sets `parameters` then). */
	get callSid(): string {
		return this.#call.parameters.CallSid ?? '';
	}
	get direction(): 'INCOMING' | 'OUTGOING' {
		return String(this.#call.direction) === 'OUTGOING' ? 'OUTGOING' : 'INCOMING';
	}
	status(): SoftphoneCallStatus {
		return this.#call.status();
	}
	get from(): string {
		return this.#call.parameters.From ?? '';
	}
	get to(): string {
		return this.#call.parameters.To ?? '';
	}
	get customParameters(): Map<string, string> {
		return this.#call.customParameters;
	}
	accept(): void {
		this.#call.accept();
	}
	reject(): void {
		this.#call.reject();
	}
	disconnect(): void {
		this.#call.disconnect();
	}
	mute(shouldMute = true): void {
		this.#call.mute(shouldMute);
	}
	isMuted(): boolean {
		return this.#call.isMuted();
	}
	sendDigits(digits: string): void {
		this.#call.sendDigits(digits);
	}
}

class TwilioSoftphoneDevice extends Emitter<SoftphoneDeviceEvents> implements SoftphoneDevice {
	readonly #device: Device;

	constructor(device: Device) {
		super();
		this.#device = device;
		device.on('registered', () => this.emit('registered'));
		device.on('unregistered', () => this.emit('unregistered'));
		device.on('incoming', (call: Call) => this.emit('incoming', new TwilioCall(call)));
		device.on('error', (error: unknown) => this.emit('error', toError(error)));
		device.on('tokenWillExpire', () => this.emit('tokenWillExpire'));
	}

	register(): Promise<void> {
		return this.#device.register();
	}
	unregister(): Promise<void> {
		return this.#device.unregister();
	}
	/** Device.connect: `params` reach the TwiML App's voice URL; the SDK refuses a second call while one is active. */
	async connect(options: { params: Record<string, string> }): Promise<SoftphoneCall> {
		try {
			return new TwilioCall(await this.#device.connect({ params: options.params }));
		} catch (error) {
			throw toError(error);
		}
	}
	updateToken(token: string): void {
		this.#device.updateToken(token);
	}
	async setAudioDevices(choice: { inputId: string | null; outputId: string | null }): Promise<void> {
		const audio = this.#device.audio;
		if (!audio) return;
		if (choice.inputId) await audio.setInputDevice(choice.inputId);
		else await audio.unsetInputDevice();
		if (audio.isOutputSelectionSupported) await audio.speakerDevices.set(choice.outputId ?? 'default');
	}
	destroy(): void {
		this.#device.destroy();
		this.removeAllListeners();
	}
}

/**
 * A Voice SDK Device for `token`; `closeProtection` warns before leaving the page mid-call. Opus
 * first (better audio, and it copes with loss), PCMU when the other side cannot do Opus.
 */
export async function createTwilioDevice(token: string): Promise<SoftphoneDevice> {
	const { Call, Device } = await import('@twilio/voice-sdk');
	return new TwilioSoftphoneDevice(
		new Device(token, { closeProtection: true, logLevel: 'warn', codecPreferences: [Call.Codec.Opus, Call.Codec.PCMU] })
	);
}
