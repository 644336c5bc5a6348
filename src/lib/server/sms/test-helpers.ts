/** Builders for SMS tests: a local carrier without the engine (statuses move only when a test says so). Test code only. */
import { LocalCarrier, LocalTelephony } from '../adapters/telephony';
import type { TelephonyPort } from '../adapters/telephony/port';
import type { Db } from '../db/client';
import type { SmsRates } from '../env';
import type { HotState } from '../live/hot';
import { dispatchNextSms, type DispatchOutcome } from './send-queued-sms';

export const TEST_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const OUR_NUMBER = '+14155550000';
export const PUBLIC_BASE_URL = 'https://switchboard.test';

/** Fast enough that tests which are not about throughput never wait for a send slot. */
export const FAST_SMS_RATES: SmsRates = { longCode: 1000, tollFree: 1000, overrides: {} };

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

/** Hot state for tests that do not watch it: every call answers null. */
export const SILENT_HOT = {
	mode: 'local',
	query: () => Promise.resolve(null),
	mutation: () => Promise.resolve(null),
	subscribe: () => () => {},
	describe: () => undefined,
	close: () => Promise.resolve()
} as unknown as HotState;

export interface DispatchTestDeps {
	db: Db;
	telephony: Pick<TelephonyPort, 'sendMessage'>;
	hot?: HotState;
	rates?: SmsRates;
}

/** One run of `ourPhone`'s dispatcher, as one send-sms job would do it. */
export function dispatchOnce(deps: DispatchTestDeps, ourPhone = OUR_NUMBER): Promise<DispatchOutcome> {
	return dispatchNextSms(
		{
			db: deps.db,
			adapters: { telephony: deps.telephony },
			hot: deps.hot ?? SILENT_HOT,
			settings: { publicBaseUrl: PUBLIC_BASE_URL, smsRates: deps.rates ?? FAST_SMS_RATES }
		},
		{ ourPhone }
	);
}

/** Run `ourPhone`'s dispatcher until nothing waits, as its send-sms jobs would one after another; returns what each run did. */
export async function dispatchAll(deps: DispatchTestDeps, ourPhone = OUR_NUMBER): Promise<DispatchOutcome[]> {
	const outcomes: DispatchOutcome[] = [];
	for (;;) {
		const outcome = await dispatchOnce(deps, ourPhone);
		if (outcome.kind === 'idle') return outcomes;
		outcomes.push(outcome);
	}
}
