/**
 * The one place that reads process.env. Every setting is validated here; each outside service
 * picks its adapter by an explicit switch that defaults to the local twin, and choosing a real
 * adapter without its credentials fails at start naming the missing variables.
 */
import { z } from 'zod';
import { DEFAULT_GEMINI_MODEL, GEMINI_MODELS } from './adapters/language-ai/port';
import { DEFAULT_TRANSCRIBE_MODEL, supportedTranscribeModels } from './adapters/speech/port';
import { ACCOUNT_SID, E164 } from '../phone-rules';
import { parseRuleSet, type RuleSet } from './outbound/rule-set';

const bool = z
	.enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
	.transform((v) => v === '1' || v === 'true' || v === 'yes');

const optionalString = z
	.string()
	.optional()
	.transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Message segments per second one sender may hand to the carrier (Twilio: 1 per long code, 3 per toll-free). */
const rate = (name: string) =>
	z.coerce
		.number({ error: `${name} must be a number of segments per second, e.g. 1` })
		.positive(`${name} must be more than 0 segments per second`)
		.max(1000, `${name} must be at most 1000 segments per second`);

/** `+14155550100=2,+18005550100=30`: per-number rates that win over the sender type's. */
function parseRateOverrides(value: string | undefined): { rates: Record<string, number>; problems: string[] } {
	const rates: Record<string, number> = {};
	const problems: string[] = [];
	for (const item of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
		const [number, perSecond, ...rest] = item.split('=').map((s) => s.trim());
		const parsed = Number(perSecond);
		if (!number || !E164.test(number) || rest.length) {
			problems.push(`SMS_RATE_OVERRIDES: "${item}" must be an E.164 number, "=", and a rate, e.g. +14155550100=2`);
		} else if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 1000) {
			problems.push(`SMS_RATE_OVERRIDES: the rate for ${number} must be a number of segments per second between 0 and 1000`);
		} else rates[number] = parsed;
	}
	return { rates, problems };
}

const RawEnv = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	PUBLIC_BASE_URL: optionalString.pipe(z.url({ message: 'PUBLIC_BASE_URL must be an absolute URL such as https://calls.example.com' }).optional()),
	// Read by adapter-node itself (getClientAddress): the header the proxy puts the client address
	// in, and for X-Forwarded-For how many proxies from the right to trust. Checked here so a
	// deployment behind a proxy cannot start without them (proxyProblems).
	ADDRESS_HEADER: optionalString.pipe(z.string().regex(/^[A-Za-z0-9-]+$/, 'ADDRESS_HEADER is a header name such as x-forwarded-for').optional()),
	XFF_DEPTH: optionalString.pipe(z.string().regex(/^[1-9][0-9]*$/, 'XFF_DEPTH is the number of trusted proxies, 1 or more').transform(Number).optional()),
	// Read by adapter-node itself: the address it listens on (all interfaces when unset; npm start
	// sets 127.0.0.1 in local mode). Checked here so local mode cannot listen publicly unnoticed.
	HOST: optionalString,
	DATA_DIR: z.string().default('./data'),
	DATABASE_URL: optionalString.pipe(
		z
			.string()
			.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
			.optional()
	),
	PGLITE_DIR: optionalString,
	AUTH_SECRET: optionalString.pipe(z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional()),
	SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
	/** The first admin, created at start only on an archive with no staff (auth/bootstrap-admin.ts). */
	ADMIN_EMAIL: optionalString.pipe(z.email({ message: 'ADMIN_EMAIL must be an email address' }).optional()),
	ADMIN_PASSWORD: z
		.string()
		.optional()
		.transform((v) => (v === '' ? undefined : v))
		.pipe(z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional()),
	ADMIN_NAME: optionalString,
	DEMO_DATA: bool.optional(),
	/** The one way to run the local carrier, demo data or both where strangers can reach them. */
	I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: bool.optional(),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),

	TELEPHONY: z.enum(['local', 'twilio']).default('local'),
	TWILIO_ACCOUNT_SID: optionalString.pipe(z.string().regex(ACCOUNT_SID, 'TWILIO_ACCOUNT_SID is AC followed by 32 hex digits').optional()),
	TWILIO_AUTH_TOKEN: optionalString,
	TWILIO_API_KEY_SID: optionalString,
	TWILIO_API_KEY_SECRET: optionalString,
	TWILIO_TWIML_APP_SID: optionalString,
	TWILIO_API_BASE_URL: optionalString,
	DELETE_CARRIER_COPIES: bool.optional(),

	STORAGE: z.enum(['local', 's3']).default('local'),
	S3_BUCKET: optionalString,
	S3_REGION: optionalString,
	S3_ACCESS_KEY_ID: optionalString,
	S3_SECRET_ACCESS_KEY: optionalString,
	S3_ENDPOINT: optionalString,
	S3_SSE_KMS_KEY_ID: optionalString,

	SPEECH: z.enum(['local', 'openai']).default('local'),
	OPENAI_API_KEY: optionalString,
	OPENAI_BASE_URL: optionalString,
	OPENAI_TRANSCRIBE_MODEL: z.string().default(DEFAULT_TRANSCRIBE_MODEL),

	LANGUAGE_AI: z.enum(['local', 'gemini']).default('local'),
	GEMINI_API_KEY: optionalString,
	GEMINI_MODEL: z.string().default(DEFAULT_GEMINI_MODEL),
	GEMINI_BASE_URL: optionalString,

	BROADCAST: z.enum(['local', 'ably']).default('local'),
	ABLY_API_KEY: optionalString,
	ABLY_REST_HOST: optionalString,

	SMS_RATE_LONG_CODE: rate('SMS_RATE_LONG_CODE').default(1),
	SMS_RATE_TOLL_FREE: rate('SMS_RATE_TOLL_FREE').default(3),
	SMS_RATE_OVERRIDES: optionalString.pipe(z.string().optional()),

	DECLINE_SETS_AGENT: z.enum(['available', 'away'], { error: 'DECLINE_SETS_AGENT must be available or away' }).default('available'),
	LIVE_TRANSCRIPTION: z
		.enum(['off', 'final', 'partial'], { error: 'LIVE_TRANSCRIPTION must be off, final or partial' })
		.default('off'),
	HOLD_REMINDER_SECONDS: z.coerce.number({ error: 'HOLD_REMINDER_SECONDS must be a number of seconds' }).int().min(5).max(3600).default(60),
	REPORTING_TIME_ZONE: z
		.string()
		.trim()
		.default('UTC')
		.refine((zone) => {
			try {
				new Intl.DateTimeFormat('en-US', { timeZone: zone });
				return true;
			} catch {
				return false;
			}
		}, 'REPORTING_TIME_ZONE must be an IANA time zone such as America/New_York or Europe/Berlin'),

	LIVE: z.enum(['local', 'convex']).default('local'),
	/** JSON laid over the outbound gate's default rules (outbound/rule-set.ts), e.g. {"window":{"start":"09:00","end":"20:00"}}. */
	OUTBOUND_RULES: optionalString,
	/** Local mode only: the outbound gate's clock starts at this instant (ISO 8601) and runs on, for demos and e2e tests. */
	OUTBOUND_CLOCK_START: optionalString.pipe(z.iso.datetime({ offset: true, message: 'OUTBOUND_CLOCK_START is an ISO 8601 instant, e.g. 2026-12-07T17:00:00Z' }).optional()),
	PUBLIC_CONVEX_URL: optionalString.pipe(z.url().optional()),
	CONVEX_AUTH_PRIVATE_KEY: optionalString,
	CONVEX_AUTH_PRIVATE_KEY_NEXT: optionalString,
	CONVEX_AUTH_KEY_ID: optionalString
});

export type RawEnv = z.infer<typeof RawEnv>;

/** Variables each real adapter needs; listed in the start-up error when missing. */
const REQUIRED: Record<string, { when: (e: RawEnv) => boolean; vars: (keyof RawEnv)[] }> = {
	twilio: {
		when: (e) => e.TELEPHONY === 'twilio',
		vars: [
			'TWILIO_ACCOUNT_SID',
			'TWILIO_AUTH_TOKEN',
			'TWILIO_API_KEY_SID',
			'TWILIO_API_KEY_SECRET',
			'TWILIO_TWIML_APP_SID',
			'PUBLIC_BASE_URL'
		]
	},
	s3: {
		when: (e) => e.STORAGE === 's3',
		// Keys are optional (the AWS default credential chain: roles, instance profiles), but only as a pair.
		vars: ['S3_BUCKET', 'S3_REGION']
	},
	openai: { when: (e) => e.SPEECH === 'openai', vars: ['OPENAI_API_KEY'] },
	gemini: { when: (e) => e.LANGUAGE_AI === 'gemini', vars: ['GEMINI_API_KEY'] },
	ably: { when: (e) => e.BROADCAST === 'ably', vars: ['ABLY_API_KEY'] },
	convex: {
		when: (e) => e.LIVE === 'convex',
		vars: ['PUBLIC_CONVEX_URL', 'CONVEX_AUTH_PRIVATE_KEY', 'PUBLIC_BASE_URL']
	}
};

/** Settings of the chosen adapters that are present but cannot work together or are not supported. */
function adapterSettingProblems(e: RawEnv): string[] {
	const problems: string[] = [];
	if (e.STORAGE === 's3' && (e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
		problems.push('s3: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither to use the AWS default credential chain (IAM role, instance profile)');
	}
	const transcribeModels = supportedTranscribeModels();
	if (e.SPEECH === 'openai' && !transcribeModels.includes(e.OPENAI_TRANSCRIBE_MODEL)) {
		problems.push(`OPENAI_TRANSCRIBE_MODEL "${e.OPENAI_TRANSCRIBE_MODEL}" is not supported (retired or unknown); use one of ${transcribeModels.join(', ')}`);
	}
	if (e.LANGUAGE_AI === 'gemini' && !(GEMINI_MODELS as readonly string[]).includes(e.GEMINI_MODEL)) {
		problems.push(`GEMINI_MODEL "${e.GEMINI_MODEL}" is not supported (retired, preview or unknown); use one of ${GEMINI_MODELS.join(', ')}`);
	}
	return problems;
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: addresses no other machine reaches. */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === '::1';
}

export function isLoopbackUrl(url: string): boolean {
	try {
		return isLoopbackHost(new URL(url).hostname);
	} catch {
		return false;
	}
}

/**
 * Local mode has no real secrets: anyone who reaches it can drive the carrier, and demo data
 * signs in with a password printed in the README. Off loopback or in production it starts only
 * when the operator says, by name, that this is wanted; demo data never in production, and
 * production never on a generated session secret.
 */
function exposureProblems(e: RawEnv): string[] {
	const problems: string[] = [];
	const url = e.PUBLIC_BASE_URL;
	const publicUrl = url !== undefined && !isLoopbackUrl(url);
	// A loopback PUBLIC_BASE_URL does not keep others out when the server listens on every interface.
	const publicHost = e.HOST !== undefined && !isLoopbackHost(e.HOST);
	const production = e.NODE_ENV === 'production';
	const allowed = e.I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC === true;
	const where = [
		publicUrl ? `PUBLIC_BASE_URL ${url} is not a loopback address` : '',
		publicHost ? `HOST ${e.HOST} listens beyond this machine` : '',
		production ? 'NODE_ENV is production' : ''
	]
		.filter(Boolean)
		.join(' and ');
	const demoData = e.DEMO_DATA ?? (e.TELEPHONY === 'local' && !production);
	if (production && e.AUTH_SECRET === undefined) {
		problems.push('AUTH_SECRET is required in production: 32 or more random characters (e.g. `openssl rand -base64 32`), the same on every restart.');
	}
	if (production && e.DEMO_DATA === true) {
		problems.push('DEMO_DATA=true is refused in production: the demo accounts share a published password. Unset DEMO_DATA.');
	}
	if (!where || allowed) return problems;
	if (e.TELEPHONY === 'local') {
		problems.push(
			`TELEPHONY=local (the default) but ${where}: the local carrier lets anyone who reaches it place calls and read every call and text. ` +
				'Set TELEPHONY=twilio with its credentials for a real deployment, or set I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC=true to run the local twin there anyway.'
		);
	} else if (demoData && (publicUrl || publicHost)) {
		problems.push(
			`DEMO_DATA is on but ${where}: the demo accounts share a published password. Unset DEMO_DATA, or set I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC=true.`
		);
	}
	return problems;
}

export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Switchboard configuration is invalid:\n  - ${problems.join('\n  - ')}\nSee .env.example for every variable.`);
		this.name = 'ConfigError';
	}
}

export interface SmsRates {
	longCode: number;
	tollFree: number;
	/** Per-number rates by E.164 number; they win over the sender type's. */
	overrides: Record<string, number>;
}

export interface Config {
	nodeEnv: RawEnv['NODE_ENV'];
	port: number;
	publicBaseUrl: string;
	dataDir: string;
	database: { driver: 'postgres'; url: string } | { driver: 'pglite'; dir: string };
	authSecret: string | undefined;
	sessionTtlHours: number;
	/** ADMIN_EMAIL/ADMIN_PASSWORD: the admin created when the archive has no staff yet. */
	bootstrapAdmin: { email: string; password: string; name: string | undefined } | undefined;
	demoData: boolean;
	logLevel: RawEnv['LOG_LEVEL'];
	telephony:
		| { adapter: 'local'; accountSid: string | undefined; authToken: string | undefined }
		| {
				adapter: 'twilio';
				accountSid: string;
				authToken: string;
				apiKeySid: string;
				apiKeySecret: string;
				twimlAppSid: string;
				apiBaseUrl: string | undefined;
		  };
	storage:
		| { adapter: 'local' }
		| {
				adapter: 's3';
				bucket: string;
				region: string;
				/** Both or neither: without them the AWS default credential chain signs requests. */
				accessKeyId: string | undefined;
				secretAccessKey: string | undefined;
				endpoint: string | undefined;
				/** Puts use SSE-KMS with this key (ID, ARN or alias) when set. */
				sseKmsKeyId: string | undefined;
		  };
	speech: { adapter: 'local' } | { adapter: 'openai'; apiKey: string; baseUrl: string | undefined; model: string };
	languageAi: { adapter: 'local' } | { adapter: 'gemini'; apiKey: string; model: string; baseUrl: string | undefined };
	broadcast: { adapter: 'local' } | { adapter: 'ably'; apiKey: string; restHost: string | undefined };
	/** Outbound throughput per sender, in message segments per second (sms/sender-rate.ts applies it). */
	smsRates: SmsRates;
	/**
	 * Delete recordings and MMS media at the carrier once they are in our storage (default true),
	 * so personal data is not kept in two places; Twilio keeps both until deleted.
	 */
	deleteCarrierCopies: boolean;
	/** The status an agent who declines a ringing call goes to (the call itself moves on to the next agent at once). */
	declineSetsAgent: RawEnv['DECLINE_SETS_AGENT'];
	/**
	 * Real-time transcription during calls (Twilio's `<Start><Transcription>`, billed per minute):
	 * `off`, `final` (finished lines only) or `partial` (also the words as they are recognised).
	 */
	liveTranscription: RawEnv['LIVE_TRANSCRIPTION'];
	/** After this long on hold the agent's softphone reminds them the customer is waiting. */
	holdReminderSeconds: number;
	/** The outbound gate's rules and, in local mode, where its clock starts. */
	outbound: { rules: RuleSet; clockStart: Date | undefined };
	/** The call center's time zone: report days and weeks start at its midnight, across daylight-saving changes. */
	reportingTimeZone: string;
	live:
		| { adapter: 'local' }
		| { adapter: 'convex'; url: string; privateKey: string; nextPrivateKey?: string | undefined; keyId?: string | undefined };
}

/**
 * adapter-node serves plain HTTP, so an https:// public URL in production means a proxy in
 * front. Without ADDRESS_HEADER every request would seem to come from the proxy, and the
 * sign-in throttle's per-address limit would lock everyone out at once.
 */
function proxyProblems(e: RawEnv): string[] {
	const problems: string[] = [];
	if (e.NODE_ENV === 'production' && e.PUBLIC_BASE_URL?.startsWith('https://') && !e.ADDRESS_HEADER) {
		problems.push(
			'PUBLIC_BASE_URL is https:// in production, so Switchboard runs behind a proxy: set ADDRESS_HEADER to the header carrying the client address (x-forwarded-for with XFF_DEPTH, or e.g. x-real-ip)'
		);
	}
	if (e.XFF_DEPTH !== undefined && e.ADDRESS_HEADER?.toLowerCase() !== 'x-forwarded-for') {
		problems.push('XFF_DEPTH applies only with ADDRESS_HEADER=x-forwarded-for');
	}
	return problems;
}

/** Every setting that is present but wrong or missing, each saying what to fix. */
function configProblems(e: RawEnv, rateProblems: string[]): string[] {
	const problems: string[] = [];
	for (const [name, rule] of Object.entries(REQUIRED)) {
		if (!rule.when(e)) continue;
		const missing = rule.vars.filter((v) => e[v] === undefined);
		if (missing.length) problems.push(`${name} is selected but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set`);
	}
	problems.push(...adapterSettingProblems(e));
	problems.push(...exposureProblems(e));
	if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
		problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both to create the first admin on an empty archive, or neither.');
	}
	problems.push(...proxyProblems(e));
	problems.push(...rateProblems);
	return problems;
}

/** Presence is checked by REQUIRED before these are read. */
const present = (v: string | undefined) => v as string;

/** Each port's adapter and its settings, from an environment that passed configProblems. */
function adapterConfigs(e: RawEnv): Pick<Config, 'telephony' | 'storage' | 'speech' | 'languageAi' | 'broadcast' | 'live'> {
	const s = present;
	return {
		telephony:
			e.TELEPHONY === 'twilio'
				? {
						adapter: 'twilio',
						accountSid: s(e.TWILIO_ACCOUNT_SID),
						authToken: s(e.TWILIO_AUTH_TOKEN),
						apiKeySid: s(e.TWILIO_API_KEY_SID),
						apiKeySecret: s(e.TWILIO_API_KEY_SECRET),
						twimlAppSid: s(e.TWILIO_TWIML_APP_SID),
						apiBaseUrl: e.TWILIO_API_BASE_URL
					}
				: { adapter: 'local', accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN },
		storage:
			e.STORAGE === 's3'
				? {
						adapter: 's3',
						bucket: s(e.S3_BUCKET),
						region: s(e.S3_REGION),
						accessKeyId: e.S3_ACCESS_KEY_ID,
						secretAccessKey: e.S3_SECRET_ACCESS_KEY,
						endpoint: e.S3_ENDPOINT,
						sseKmsKeyId: e.S3_SSE_KMS_KEY_ID
					}
				: { adapter: 'local' },
		speech:
			e.SPEECH === 'openai'
				? { adapter: 'openai', apiKey: s(e.OPENAI_API_KEY), baseUrl: e.OPENAI_BASE_URL, model: e.OPENAI_TRANSCRIBE_MODEL }
				: { adapter: 'local' },
		languageAi:
			e.LANGUAGE_AI === 'gemini'
				? { adapter: 'gemini', apiKey: s(e.GEMINI_API_KEY), model: e.GEMINI_MODEL, baseUrl: e.GEMINI_BASE_URL }
				: { adapter: 'local' },
		broadcast: e.BROADCAST === 'ably' ? { adapter: 'ably', apiKey: s(e.ABLY_API_KEY), restHost: e.ABLY_REST_HOST } : { adapter: 'local' },
		live:
			e.LIVE === 'convex'
				? {
						adapter: 'convex',
						url: s(e.PUBLIC_CONVEX_URL),
						privateKey: s(e.CONVEX_AUTH_PRIVATE_KEY),
						nextPrivateKey: e.CONVEX_AUTH_PRIVATE_KEY_NEXT,
						keyId: e.CONVEX_AUTH_KEY_ID
					}
				: { adapter: 'local' }
	};
}

/** Parse an environment (process.env or a test's literal) into a Config, or throw ConfigError. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const parsed = RawEnv.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
	}
	const e = parsed.data;
	const overrides = parseRateOverrides(e.SMS_RATE_OVERRIDES);
	const outbound = parseRuleSet(e.OUTBOUND_RULES);
	const problems = [...configProblems(e, overrides.problems), ...outbound.problems];
	if (e.OUTBOUND_CLOCK_START && (e.TELEPHONY !== 'local' || e.NODE_ENV === 'production')) {
		problems.push('OUTBOUND_CLOCK_START is for local mode only: the calling window must follow the real clock in production');
	}
	if (problems.length) throw new ConfigError(problems);

	return {
		nodeEnv: e.NODE_ENV,
		port: e.PORT,
		publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
		dataDir: e.DATA_DIR,
		database: e.DATABASE_URL
			? { driver: 'postgres', url: e.DATABASE_URL }
			: { driver: 'pglite', dir: e.PGLITE_DIR ?? `${e.DATA_DIR}/pglite` },
		authSecret: e.AUTH_SECRET,
		sessionTtlHours: e.SESSION_TTL_HOURS,
		bootstrapAdmin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD, name: e.ADMIN_NAME } : undefined,
		demoData: e.DEMO_DATA ?? (e.TELEPHONY === 'local' && e.NODE_ENV !== 'production'),
		logLevel: e.LOG_LEVEL,
		...adapterConfigs(e),
		smsRates: { longCode: e.SMS_RATE_LONG_CODE, tollFree: e.SMS_RATE_TOLL_FREE, overrides: overrides.rates },
		deleteCarrierCopies: e.DELETE_CARRIER_COPIES ?? true,
		declineSetsAgent: e.DECLINE_SETS_AGENT,
		liveTranscription: e.LIVE_TRANSCRIPTION,
		holdReminderSeconds: e.HOLD_REMINDER_SECONDS,
		outbound: { rules: outbound.rules, clockStart: e.OUTBOUND_CLOCK_START ? new Date(e.OUTBOUND_CLOCK_START) : undefined },
		reportingTimeZone: e.REPORTING_TIME_ZONE
	};
}

/** One line per port, printed at start so an operator sees what the process talks to. */
export function describeAdapters(c: Config): string {
	return [
		`database=${c.database.driver}`,
		`telephony=${c.telephony.adapter}`,
		`storage=${c.storage.adapter}`,
		`speech=${c.speech.adapter}`,
		`language_ai=${c.languageAi.adapter}`,
		`broadcast=${c.broadcast.adapter}`,
		`live=${c.live.adapter}`
	].join(' ');
}

let cached: Config | undefined;

/** The process's configuration, parsed once from process.env. */
export function getConfig(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}
