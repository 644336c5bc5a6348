/**
 * Switchboard's side of provisioning: which numbers are ours (the voice queues' numbers in the
 * archive) and which routes they must call. The adapter (adapters/telephony/provision.ts) does
 * the reading and writing through the official client, for Twilio and the local carrier alike.
 */
import { asc } from 'drizzle-orm';
import { carrierEngineOf, TwilioTelephony, type NumberRoutes, type ProvisionReport, type TelephonyPort } from './adapters/telephony';
import type { Db } from './db/client';
import { voiceQueues } from './db/schema/calls';
import { SMS_PATHS } from './sms/sms-webhooks';
import { VOICE_PATHS } from './calls/voice-paths';
import { FALLBACK_PATHS } from './webhooks/fallback-webhooks';

export const SWITCHBOARD_NUMBER_ROUTES: NumberRoutes = {
	voice: VOICE_PATHS.incoming,
	voiceFallback: FALLBACK_PATHS.voice,
	voiceStatus: VOICE_PATHS.status,
	sms: SMS_PATHS.inbound,
	smsFallback: FALLBACK_PATHS.sms,
	outbound: VOICE_PATHS.outbound
};

/** The numbers that route to Switchboard, with their queue's name. */
export async function switchboardNumbers(db: Db): Promise<{ number: string; queue: string }[]> {
	return db.select({ number: voiceQueues.number, queue: voiceQueues.name }).from(voiceQueues).orderBy(asc(voiceQueues.number));
}

export interface ProvisionOptions {
	/** Where the voice queues' numbers are read when `numbers` is left out. */
	db?: Db;
	/** The numbers to configure; the voice queues' numbers in `db` when left out. */
	numbers?: readonly string[];
	telephony: TelephonyPort;
	publicBaseUrl: string;
	dryRun?: boolean;
	/** Clear a number's voice/SMS application or trunk (which make Twilio ignore our URLs) instead of refusing. */
	detach?: boolean;
}

/**
 * Configure every Switchboard number on the account. Refuses, before any request, an adapter
 * that is not the Twilio client, and a public base URL Twilio could not reach.
 */
export async function provisionSwitchboardNumbers(options: ProvisionOptions): Promise<ProvisionReport> {
	const { telephony, publicBaseUrl } = options;
	if (!(telephony instanceof TwilioTelephony)) throw new Error(`Provisioning needs the Twilio client; the ${telephony.kind} telephony adapter has none.`);
	if (telephony.targetsTwilio) {
		const url = new URL(publicBaseUrl);
		const local = ['localhost', '127.0.0.1', '::1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.local');
		if (url.protocol !== 'https:' || local) {
			throw new Error(
				`PUBLIC_BASE_URL is ${publicBaseUrl}, which Twilio cannot call: set it to Switchboard's public https:// address (the one behind your proxy or tunnel) and run this again. Nothing was changed.`
			);
		}
	}
	let numbers = options.numbers;
	if (!numbers) {
		if (!options.db) throw new Error('Provisioning needs the numbers to configure, or the archive to read the voice queues\' numbers from.');
		numbers = (await switchboardNumbers(options.db)).map((n) => n.number);
	}
	return telephony.provisionNumbers({
		publicBaseUrl,
		routes: SWITCHBOARD_NUMBER_ROUTES,
		numbers,
		...(options.dryRun ? { dryRun: true } : {}),
		...(options.detach ? { detach: true } : {})
	});
}

/**
 * Local mode at start: the carrier's account gets Switchboard's numbers, as if bought in the
 * console (blank), and then the very provisioning `npm run provision` runs against Twilio. Null
 * when the telephony is not the local carrier or there are no numbers yet.
 */
export async function provisionLocalCarrier(options: Omit<ProvisionOptions, 'dryRun' | 'detach' | 'numbers' | 'db'> & { db: Db }): Promise<ProvisionReport | null> {
	const engine = carrierEngineOf(options.telephony);
	if (!engine) return null;
	const numbers = await switchboardNumbers(options.db);
	if (numbers.length === 0) return null;
	for (const n of numbers) engine.ownNumber(n.number, `Switchboard ${n.queue}`);
	return provisionSwitchboardNumbers({ ...options, numbers: numbers.map((n) => n.number) });
}
