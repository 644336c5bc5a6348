/**
 * The local device channel: one carrier `ClientDevice` per open softphone stream, registered
 * under the agent's identity so `<Dial><Client>` rings it, with its Voice SDK events forwarded
 * to the browser and the browser's actions (accept, reject, mute, digits...) applied to the
 * device's calls. Closing the stream unregisters the device, as closing a tab does with Twilio.
 */
import { randomUUID } from 'node:crypto';
import type { CarrierEngine, ClientDevice, DeviceCall } from '$lib/server/adapters/telephony/carrier';
import type { DeviceChannelEvent, SoftphoneActionRequest } from '$lib/softphone/protocol';

const channels = new Map<string, ClientDevice>();

/** Register a device for `identity` and forward its events to `send`; returns the close function. */
export function openDeviceChannel(engine: CarrierEngine, identity: string, send: (event: DeviceChannelEvent) => void): () => void {
	const deviceId = randomUUID();
	const device = engine.device(identity);
	channels.set(deviceId, device);

	const forward = (call: DeviceCall) => {
		const callSid = call.sid;
		call.on('accept', () => send({ type: 'accept', callSid }));
		call.on('cancel', () => send({ type: 'cancel', callSid }));
		call.on('disconnect', () => send({ type: 'disconnect', callSid }));
		call.on('reject', () => send({ type: 'reject', callSid }));
		call.on('mute', (muted) => send({ type: 'mute', callSid, muted }));
		call.on('audio', (text) => send({ type: 'audio', callSid, text }));
		call.on('media', (media) => send({ type: 'media', callSid, media }));
		call.on('error', (error) => send({ type: 'error', callSid, code: 31000, message: error.message }));
	};
	device.on('registered', () => send({ type: 'registered', deviceId, identity }));
	device.on('unregistered', () => send({ type: 'unregistered' }));
	device.on('error', (error) => send({ type: 'error', callSid: null, code: 31000, message: error.message }));
	device.on('incoming', (call) => {
		forward(call);
		send({
			type: 'incoming',
			callSid: call.sid,
			from: call.parameters.From ?? '',
			to: call.parameters.To ?? '',
			parameters: { ...call.parameters },
			customParameters: Object.fromEntries(call.customParameters)
		});
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

/** Apply a browser action to a call on the caller's own device. */
export function applyDeviceAction(identity: string, request: SoftphoneActionRequest): ActionOutcome {
	const device = channels.get(request.deviceId);
	if (!device || device.identity !== identity) {
		return { ok: false, status: 404, code: 'NO_DEVICE', message: 'This softphone is not registered any more; reload the page.' };
	}
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
			if (!call.sendMedia(request.signal)) return { ok: false, status: 409, code: 'NO_MEDIA', message: 'That call is not connected to anyone whose browser carries audio.' };
			break;
	}
	return { ok: true, callSid: call.sid, status: call.status(), muted: call.isMuted() };
}
