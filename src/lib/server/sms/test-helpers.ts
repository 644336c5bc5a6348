/** Builders for SMS tests: a local carrier without the engine (statuses move only when a test says so). */
import { LocalCarrier, LocalTelephony } from '../adapters/telephony';

export const TEST_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const OUR_NUMBER = '+14155550000';
export const PUBLIC_BASE_URL = 'https://switchboard.test';

export function localTelephony() {
	const carrier = new LocalCarrier({
		accountSid: TEST_ACCOUNT_SID,
		authToken: 'test-token',
		apiBaseUrl: `${PUBLIC_BASE_URL}/carrier`
	});
	return { carrier, telephony: new LocalTelephony(carrier) };
}

let sidCounter = 0;
/** A fresh inbound MessageSid. */
export function messageSid(): string {
	sidCounter += 1;
	return `SM${sidCounter.toString(16).padStart(32, '0')}`;
}
