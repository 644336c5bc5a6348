/**
 * The local device channel: one carrier `ClientDevice` per open softphone stream, registered
 * under the agent's identity so `<Dial><Client>` rings it, with its Voice SDK events forwarded
 * to the browser and the browser's actions (accept, reject, mute, digits...) applied to the
 * device's calls. Closing the stream unregisters the device, as closing a tab does with Twilio.
 */
import { randomUUID } from 'node:crypto';
import type { CarrierEngine, ClientDevice, DeviceCall } from '$lib/server/adapters/telephony/carrier';
import type { DeviceChannelEvent, IncomingCallInfo, SoftphoneActionRequest } from '$lib/softphone/protocol';

interface Channel {
	device: ClientDevice;
	send: (event: DeviceChannelEvent) => void;
	/** Forward a call's Voice SDK events to the browser. */
	forward: (call: DeviceCall) => void;
}

const channels = new Map<string, Channel>();

function callInfo(call: DeviceCall): IncomingCallInfo {
	return {
		callSid: call.sid,
		from: call.parameters.From ?? '',
		to: call.parameters.To ?? '',
		parameters: { ...call.parameters },
		customParameters: Object.fromEntries(call.customParameters)
	};
}

/** Register a device for `identity` and forward its events to `send`; returns the close function. */
export function openDeviceChannel(engine: CarrierEngine, identity: string, send: (event: DeviceChannelEvent) => void): () => void {
	const deviceId = randomUUID();
	const device = engine.device(identity);

	const forward = (call: DeviceCall) => {
		const callSid = call.sid;
		call.on('ringing', (hasEarlyMedia) => send({ type: 'ringing', callSid, hasEarlyMedia }));
		call.on('accept', () => send({ type: 'accept', callSid }));
		call.on('cancel', () => send({ type: 'cancel', callSid }));
		call.on('disconnect', () => send({ type: 'disconnect', callSid }));
		call.on('reject', () => send({ type: 'reject', callSid }));
		call.on('mute', (muted) => send({ type: 'mute', callSid, muted }));
		call.on('audio', (text) => send({ type: 'audio', callSid, text }));
		call.on('media', (media) => send({ type: 'media', callSid, media }));
		call.on('error', (error) => send({ type: 'error', callSid, code: 31000, message: error.message }));
	};
	channels.set(deviceId, { device, send, forward });
	device.on('registered', () => send({ type: 'registered', deviceId, identity }));
	device.on('unregistered', () => send({ type: 'unregistered' }));
	device.on('error', (error) => send({ type: 'error', callSid: null, code: 31000, message: error.message }));
	device.on('incoming', (call) => {
		forward(call);
		send({ type: 'incoming', ...callInfo(call) });
	});
	device.register();

	return () => {
		channels.delete(deviceId);
		for (const call of device.calls) {
			// A ringing call keeps ringing the agent's other tabs (and times out here), as with Twilio.
			if (call.status() === 'pending') call.ignore();
			else call.disconnect();
		}
		device.unregister();
		device.removeAllListeners();
	};
}

export type ActionOutcome =
	| { ok: true; callSid: string; status: string; muted: boolean }
	| { ok: false; status: 400 | 404 | 409; code: string; message: string };

const NO_DEVICE = { ok: false, status: 404, code: 'NO_DEVICE', message: 'This softphone is not registered any more; reload the page.' } as const;

export type ConnectOutcome = ({ ok: true } & IncomingCallInfo) | { ok: false; status: 404 | 409; code: string; message: string };

/**
 * Place a call from the caller's own device (`Device.connect({ params })`): the carrier posts
 * `params` to the TwiML App's voice URL. Like the Voice SDK, one call at a time per device. The
 * browser hears of the call on its stream (`outgoing`) before any of the call's events.
 */
export function connectDevice(identity: string, deviceId: string, params: Record<string, string>): ConnectOutcome {
	const channel = channels.get(deviceId);
	if (!channel || channel.device.identity !== identity) return NO_DEVICE;
	if (channel.device.calls.some((c) => c.status() !== 'closed' && c.status() !== 'pending')) {
		return { ok: false, status: 409, code: 'CALL_ACTIVE', message: 'This softphone is already on a call; hang up first.' };
	}
	// As Device.connect does, calls still ringing here are ignored (they ring on elsewhere).
	for (const ringing of channel.device.calls) if (ringing.status() === 'pending') ringing.ignore();
	const call = channel.device.connect({ params });
	channel.forward(call);
	const info = callInfo(call);
	channel.send({ type: 'outgoing', ...info });
	return { ok: true, ...info };
}

/** Apply a browser action to a call on the caller's own device. */
export function applyDeviceAction(identity: string, request: SoftphoneActionRequest): ActionOutcome {
	const device = channels.get(request.deviceId)?.device;
	if (!device || device.identity !== identity) return NO_DEVICE;
	const call = device.calls.find((c) => c.sid === request.callSid && c.status() !== 'closed');
	if (!call) return { ok: false, status: 409, code: 'CALL_OVER', message: 'That call has already ended.' };
	switch (request.action) {
		case 'accept':
			if (call.status() !== 'pending') return { ok: false, status: 409, code: 'NOT_RINGING', message: 'That call is no longer ringing.' };
			call.accept();
			break;
		case 'reject':
			call.reject();
			break;
		case 'disconnect':
			call.disconnect();
			break;
		case 'mute':
		case 'unmute':
			call.mute(request.action === 'mute');
			break;
		case 'digits':
			call.sendDigits(request.digits ?? '');
			break;
		case 'media':
			if (!request.signal) return { ok: false, status: 400, code: 'BAD_REQUEST', message: 'signal: required for the media action' };
			if (!call.sendMedia(request.signal, request.peer)) return { ok: false, status: 409, code: 'NO_MEDIA', message: 'That call is not connected to anyone whose browser carries audio.' };
			break;
	}
	return { ok: true, callSid: call.sid, status: call.status(), muted: call.isMuted() };
}
