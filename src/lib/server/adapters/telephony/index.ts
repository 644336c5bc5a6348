/** Picks the telephony adapter from validated config: Twilio, or the same Twilio client over the in-process local carrier. */
import type { Config } from '../../env';
import { CARRIER_BASE_PATH, CarrierEngine, LOCAL_NUMBER_DEFAULTS, attachCarrierEngine, handleCarrierHttp } from './carrier';
import { LocalCarrier } from './carrier/local-carrier';
import { LocalTelephony } from './carrier/local-telephony';
import type { TelephonyPort } from './port';
import { TwilioTelephony } from './twilio';

export type * from './port';
export { LocalCarrier } from './carrier/local-carrier';
export { LocalTelephony } from './carrier/local-telephony';
export { TwilioTelephony } from './twilio';
export { formatProvisionReport, type NumberRoutes, type ProvisionReport } from './provision';
export { carrierEngineOf, CARRIER_BASE_PATH, LOCAL_NUMBER_DEFAULTS } from './carrier';

export function createTelephony(config: Config): TelephonyPort {
	const t = config.telephony;
	if (t.adapter === 'twilio') {
		const { adapter: _adapter, ...settings } = t;
		return new TwilioTelephony(settings);
	}
	if (!t.accountSid || !t.authToken) {
		throw new Error('The local carrier needs an account SID and auth token: pass the config through resolveLocalSecrets first.');
	}
	// src/routes/carrier serves Twilio's REST paths under this prefix; RecordingUrls point there.
	const carrier = new LocalCarrier({ accountSid: t.accountSid, authToken: t.authToken, apiBaseUrl: `${config.publicBaseUrl}${CARRIER_BASE_PATH}` });
	// The engine calls Switchboard's webhooks at the public base URL, as Twilio would.
	const engine = new CarrierEngine({ carrier, publicBaseUrl: config.publicBaseUrl, defaults: LOCAL_NUMBER_DEFAULTS });
	// The production adapter, its twilio client answered in-process by the handler /carrier serves.
	const port = new LocalTelephony(carrier, (request, path) => handleCarrierHttp(engine, request, path));
	attachCarrierEngine(port, engine);
	return port;
}
