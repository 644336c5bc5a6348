/**
 * Calls entering the network: a customer phone dialing a number, a softphone connecting through
 * the TwiML App, a REST-created call, and a REST redirect of a live call.
 */
import { closeBridge } from './bridges';
import { Interrupted } from './clock';
import { answerLeg, callOf, newLeg, ring } from './legs';
import type { LocalCall } from './local-carrier';
import { application, numberConfig } from './numbers';
import { ClientDevice, CustomerPhone, DeviceCall, PhoneCall, type ScriptLine } from './parties';
import { runTwiml } from './runtime';
import type { EngineState, Source } from './state';
import { resolve, track } from './util';

export function phoneCall(s: EngineState, phone: CustomerPhone, to: string, options: { script?: ScriptLine[] }): PhoneCall {
	const number = numberConfig(s, to);
	const call = s.carrier.openLeg({
		from: phone.number,
		to,
		direction: 'inbound',
		status: 'ringing',
		statusCallback: number.statusCallback,
		statusCallbackMethod: number.statusCallbackMethod,
		statusCallbackEvent: ['completed']
	});
	const handle = new PhoneCall(s.host, { sid: call.sid, from: phone.number, to, direction: 'outgoing' });
	const leg = newLeg(s, call.sid, handle);
	leg.script = options.script ? [...options.script] : [];
	leg.number = number;
	track(s, 
		runTwiml(s, leg, {
			kind: 'voice',
			url: number.voiceUrl,
			method: number.voiceMethod,
			fallbackUrl: number.voiceFallbackUrl,
			fallbackMethod: number.voiceFallbackMethod
		})
	);
	return handle;
}

/** Names Twilio sets itself on a Client call's voice request; a custom parameter cannot replace them (To is the one the SDK sends). */
const OWN_PARAMS = new Set(['AccountSid', 'ApiVersion', 'ApplicationSid', 'CallSid', 'CallStatus', 'Called', 'Caller', 'Direction', 'From']);

/**
 * A softphone's `Device.connect({ params })`, as Twilio places it: a call leg from
 * `client:<identity>` to the TwiML App, `Direction=inbound`, `CallStatus=ringing`, whose voice URL
 * gets ApplicationSid, `Caller`/`From` = the client, `To` as sent (empty if not), `Called` empty,
 * and every custom parameter as its own form field. The leg is answered by the TwiML (at once, or
 * when a `<Dial answerOnBridge>` bridges); until then the device's call is connecting or ringing.
 */
export function deviceConnect(s: EngineState, device: ClientDevice, params: Record<string, string>): DeviceCall {
	const app = application(s);
	const from = `client:${device.identity}`;
	const to = params.To ?? '';
	const call = s.carrier.openLeg({
		from,
		to,
		direction: 'inbound',
		status: 'ringing',
		applicationSid: app.sid,
		statusCallback: app.statusCallback || null,
		statusCallbackMethod: app.statusCallbackMethod,
		statusCallbackEvent: ['completed']
	});
	const handle = new DeviceCall(s.host, {
		sid: call.sid,
		parameters: { CallSid: call.sid, AccountSid: s.carrier.accountSid, From: from, To: to },
		customParameters: new Map(Object.entries(params)),
		direction: 'OUTGOING'
	});
	const leg = newLeg(s, call.sid, handle);
	const custom = Object.fromEntries(Object.entries(params).filter(([name]) => !OWN_PARAMS.has(name)));
	track(
		s,
		runTwiml(s, leg, {
			kind: 'voice',
			url: app.voiceUrl || resolve(s, '/webhooks/twilio/voice'),
			method: app.voiceMethod,
			fallbackUrl: app.voiceFallbackUrl || null,
			fallbackMethod: app.voiceFallbackMethod,
			params: custom
		})
	);
	return handle;
}

export async function outbound(s: EngineState, call: LocalCall): Promise<void> {
	const leg = newLeg(s, call.sid, null);
	const ctl = new AbortController();
	leg.run = ctl;
	let result: 'answered' | 'busy' | 'no-answer' | 'canceled';
	try {
		result = await ring(s, leg, call.to, new Map(), call.timeoutSeconds * 1000, ctl.signal, call.from);
	} catch (err) {
		if (!(err instanceof Interrupted)) throw err;
		result = 'canceled';
	} finally {
		if (leg.run === ctl) leg.run = null;
	}
	if (result !== 'answered' || leg.finalized) return;
	if (call.record) leg.callRecording = { startedAt: s.clock.now().getTime() };
	answerLeg(s, leg);
	const current = callOf(s, leg);
	const source: Source =
		'twiml' in current.instructions
			? { twiml: current.instructions.twiml, baseUrl: `${s.publicBaseUrl}/` }
			: { kind: 'voice', url: current.instructions.url, method: current.instructions.method };
	await runTwiml(s, leg, source);
}

export function onRedirect(s: EngineState, call: LocalCall): void {
	const leg = s.legs.get(call.sid);
	if (!leg || leg.finalized || !leg.answered) return;
	const source: Source =
		'twiml' in call.instructions
			? { twiml: call.instructions.twiml, baseUrl: `${s.publicBaseUrl}/` }
			: { kind: 'redirect', url: call.instructions.url, method: call.instructions.method };
	// A bridged child (an agent's leg) leaves its bridge; the parent's <Dial> then ends.
	closeBridge(leg.bridge);
	leg.run?.abort({ redirect: true });
	leg.run = null;
	track(s, runTwiml(s, leg, source));
}
