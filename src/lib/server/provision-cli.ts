/**
 * `npm run provision -- [--dry-run] [--numbers +1...,+1...]`: point the Twilio account's
 * numbers and TwiML App at Switchboard (provision-numbers.ts), printing what changes. Reads the
 * same validated configuration as the app; the numbers come from the archive's voice queues
 * unless given (use --numbers when the app holds an embedded PGlite archive open).
 */
import { errorMessage } from '../errors';
import { E164 } from '../phone-rules';
import { createTelephony, formatProvisionReport } from './adapters/telephony';
import { openDatabase, type Database } from './db/client';
import { ConfigError, parseConfig } from './env';
import { provisionSwitchboardNumbers } from './provision-numbers';

const USAGE = `Usage: npm run provision -- [--dry-run] [--detach] [--numbers +14155550100,+14155550101]

Sets VoiceUrl, VoiceFallbackUrl, StatusCallback, SmsUrl and SmsFallbackUrl (all POST) on each
Switchboard number, and the TwiML App's voice URLs, to PUBLIC_BASE_URL's webhook routes.
Needs TELEPHONY=twilio and the TWILIO_* variables. Only fields that differ are written.
A number attached to a voice or SMS application or a SIP trunk ignores those URLs: it is
refused unless --detach clears VoiceApplicationSid, SmsApplicationSid and TrunkSid.
Numbers that cannot text (capabilities.sms false) are reported.`;


export interface ProvisionCliIo {
	env: Record<string, string | undefined>;
	print(line: string): void;
}

export async function runProvisionCli(argv: string[], io: ProvisionCliIo): Promise<number> {
	let dryRun = false;
	let detach = false;
	let numbers: string[] | undefined;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--dry-run') dryRun = true;
		else if (arg === '--detach') detach = true;
		else if (arg === '--numbers') {
			numbers = (argv[++i] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
			const bad = numbers.filter((n) => !E164.test(n));
			if (numbers.length === 0 || bad.length) {
				io.print(`--numbers takes E.164 numbers separated by commas, e.g. +14155550100,+14155550101${bad.length ? `; not valid: ${bad.join(', ')}` : ''}`);
				return 2;
			}
		} else if (arg === '--help' || arg === '-h') {
			io.print(USAGE);
			return 0;
		} else {
			io.print(`Unknown option ${arg}.\n\n${USAGE}`);
			return 2;
		}
	}
	let config;
	try {
		config = parseConfig(io.env);
	} catch (err) {
		if (err instanceof ConfigError) {
			io.print(err.message);
			return 2;
		}
		throw err;
	}
	if (config.telephony.adapter !== 'twilio') {
		io.print('TELEPHONY is local: Switchboard provisions the local carrier itself at start, with this same code. Set TELEPHONY=twilio and the TWILIO_* variables to provision a Twilio account.');
		return 2;
	}
	let database: Database | null = null;
	try {
		if (!numbers) database = await openDatabase(config.database);
		const report = await provisionSwitchboardNumbers({
			...(database ? { db: database.db } : {}),
			...(numbers ? { numbers } : {}),
			telephony: createTelephony(config),
			publicBaseUrl: config.publicBaseUrl,
			dryRun,
			detach
		});
		io.print(formatProvisionReport(report, dryRun));
		return 0;
	} catch (err) {
		io.print(errorMessage(err));
		return 1;
	} finally {
		await database?.close();
	}
}
