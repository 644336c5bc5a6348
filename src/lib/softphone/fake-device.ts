/** Test helper: a fake softphone device and call with the Voice SDK's shape, driven by `fire`. Test code only. */
import { Emitter } from './emitter';
import type { SoftphoneCall, SoftphoneCallEvents, SoftphoneCallStatus, SoftphoneDevice, SoftphoneDeviceEvents } from './device';

export class FakeCall extends Emitter<SoftphoneCallEvents> implements SoftphoneCall {
	readonly actions: string[] = [];
	muted = false;
	state: SoftphoneCallStatus;
	constructor(
		public callSid: string,
		readonly from = '+12125550123',
		readonly to = 'client:agent_u1',
		readonly customParameters = new Map([['customerName', 'Ada Lovelace']]),
		readonly direction: 'INCOMING' | 'OUTGOING' = 'INCOMING'
	) {
		super();
		this.state = direction === 'INCOMING' ? 'pending' : 'connecting';
	}
	status = () => this.state;
	accept = () => void this.actions.push('accept');
	reject = () => void this.actions.push('reject');
	disconnect = () => void this.actions.push('disconnect');
	mute = (m = true) => void this.actions.push(m ? 'mute' : 'unmute');
	isMuted = () => this.muted;
	sendDigits = (d: string) => void this.actions.push(`digits:${d}`);
	fire<K extends keyof SoftphoneCallEvents>(event: K, ...args: SoftphoneCallEvents[K]) {
		this.emit(event, ...args);
	}
}

export class FakeDevice extends Emitter<SoftphoneDeviceEvents> implements SoftphoneDevice {
	tokens: string[] = [];
	destroyed = false;
	register = () => {
		queueMicrotask(() => this.emit('registered'));
		return Promise.resolve();
	};
	unregister = () => Promise.resolve();
	/** What `connect` was asked for, and what it answers: the next outgoing call, or a refusal. */
	connects: Record<string, string>[] = [];
	nextConnect: () => Promise<FakeCall> = () => Promise.resolve(new FakeCall('', '', '', new Map(), 'OUTGOING'));
	connect = (options: { params: Record<string, string> }): Promise<SoftphoneCall> => {
		this.connects.push(options.params);
		return this.nextConnect();
	};
	updateToken = (token: string) => void this.tokens.push(token);
	destroy = () => void (this.destroyed = true);
	fire<K extends keyof SoftphoneDeviceEvents>(event: K, ...args: SoftphoneDeviceEvents[K]) {
		this.emit(event, ...args);
	}
}
