/**
 * The local carrier: a twin of Twilio that calls Switchboard's webhooks, runs its TwiML, rings
 * agent devices and customer phones, records calls, and serves Twilio's REST paths.
 */
import type { TelephonyPort } from '../port';
import type { CarrierEngine, NumberConfig } from './engine';

export { CarrierEngine, type CarrierEngineOptions, type NumberConfig } from './engine';
export { RealClock, VirtualClock, Interrupted, type Clock } from './clock';
export { WebhookDispatcher, type CarrierAlert, type Delivery, type WebhookKind } from './webhooks';
export { ClientDevice, CustomerPhone, DeviceCall, PhoneCall, type PhoneText, type ScriptLine } from './parties';
export { Scenario } from './scenario';
export { handleCarrierHttp } from './http';

/** Where the carrier's HTTP surface is mounted in the app: REST at `${CARRIER_BASE_PATH}/2010-04-01/...`. */
export const CARRIER_BASE_PATH = '/carrier';

/**
 * How local mode configures every Switchboard number, as an operator would in Twilio's console:
 * the primary URLs are the engine's defaults; the fallback URLs are Switchboard's fallback
 * routes (src/routes/webhooks/twilio/{voice,sms}/fallback), so a failing primary reaches them.
 */
export const LOCAL_NUMBER_DEFAULTS: Partial<NumberConfig> = {
	voiceFallbackUrl: '/webhooks/twilio/voice/fallback',
	smsFallbackUrl: '/webhooks/twilio/sms/fallback'
};

const engines = new WeakMap<TelephonyPort, CarrierEngine>();

/** Remember the engine that runs behind a local telephony adapter. */
export function attachCarrierEngine(port: TelephonyPort, engine: CarrierEngine): void {
	engines.set(port, engine);
}

/** The carrier engine behind the telephony adapter, or null when Switchboard talks to real Twilio. */
export function carrierEngineOf(port: TelephonyPort): CarrierEngine | null {
	return engines.get(port) ?? null;
}
