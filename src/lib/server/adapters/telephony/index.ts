/** Picks the telephony adapter from validated config: Twilio, or the in-process local carrier. */
import type { Config } from '../../env';
import { LocalCarrier, LocalTelephony } from './local';
import type { TelephonyPort } from './port';
import { TwilioTelephony } from './twilio';

export type * from './port';
export { LocalCarrier, LocalTelephony } from './local';

export function createTelephony(config: Config): TelephonyPort {
	const t = config.telephony;
	if (t.adapter === 'twilio') {
		const { adapter: _adapter, ...settings } = t;
		return new TwilioTelephony(settings);
	}
	if (!t.accountSid || !t.authToken) {
		throw new Error('The local carrier needs an account SID and auth token: pass the config through resolveLocalSecrets first.');
	}
	// The carrier issue serves Twilio's REST paths under this prefix; RecordingUrls point there.
	const carrier = new LocalCarrier({ accountSid: t.accountSid, authToken: t.authToken, apiBaseUrl: `${config.publicBaseUrl}/carrier` });
	return new LocalTelephony(carrier);
}
