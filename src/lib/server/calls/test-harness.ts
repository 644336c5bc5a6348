/**
 * Test harness for the voice webhooks: services built from pieces (fresh test archive, the
 * local carrier's telephony adapter with a fixed account, the real local hot-state engine),
 * signed requests to the handlers, and row counts for "nothing was written" checks. Test code only.
 */
import { CONFERENCE_PATHS } from '../call-control/conference-twiml';
import { conferenceWebhook, holdMusicWebhook } from '../call-control/webhooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { createAdapters, type Adapters } from '../adapters';
import { makeCustomer, makeStaff } from '../crm/test-factories';
import { customers } from '../db/schema/crm';
import { callEvents, calls, voiceQueues } from '../db/schema/calls';
import { webhookDeliveries } from '../db/schema/webhooks';
import { createTestDb, type TestDb } from '../db/test-db';
import type { Jobs } from '../jobs/jobs';
import { createTestJobs } from '../jobs/test-jobs';
import { parseConfig, type Config } from '../env';
import { createLocalHotState, SYSTEM_IDENTITY, type HotState, type Identity } from '../live/hot';
import { setLogLevel } from '../log';
import { FALLBACK_PATHS, voiceFallbackWebhook } from '../webhooks/fallback-webhooks';
import { signedRequest } from '../webhooks/test-requests';
import type { TwilioParams } from '../webhooks/verify-twilio-request';
import { outboundCallWebhook, outboundDialActionWebhook, outboundNoticeWebhook, outboundStatusWebhook } from '../outbound/outbound-webhooks';
import { transcriptionWebhook } from './live-transcription-webhook';
import { seedVoiceQueues } from './seed-voice-queues';
import { VOICE_PATHS } from './voice-paths';
import type { VoiceServices } from './voice-services';
import type { Harness as CarrierHarness } from '../adapters/telephony/carrier/test-switchboard';
import {
	callStatusWebhook,
	dialActionWebhook,
	enqueueActionWebhook,
	incomingCallWebhook,
	queueBridgeWebhook,
	queueWaitWebhook,
	recordingStatusWebhook,
	voicemailDoneWebhook
} from './voice-webhooks';

export const PUBLIC_BASE_URL = 'https://switchboard.example.com';
export const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
export const SALES_NUMBER = '+14155550100';
export const SUPPORT_NUMBER = '+14155550101';

let sidCounter = 0;
/** A fresh `CA` + 32 hex CallSid. */
export function newCallSid(): string {
	sidCounter += 1;
	return `CA${(Date.now().toString(16) + sidCounter.toString(16).padStart(8, '0')).padStart(32, '0').slice(-32)}`;
}

export interface VoiceHarness {
	services: VoiceServices;
	config: Config;
	testDb: TestDb;
	hot: HotState;
	adapters: Adapters;
	jobs: Jobs;
	/** POST signed params to a voice path, as the carrier would. */
	post(pathname: string, params: TwilioParams, options?: { headers?: Record<string, string>; signature?: string | null; body?: string }): Promise<Response>;
	/** A staff user in the archive who is available in hot state with a ready softphone and these skills. */
	addAgent(skills: string[], name?: string): Promise<Identity>;
	addCustomer(phone: string, firstName?: string): Promise<string>;
	/** Route `number` to a queue of its own (tests use one per case, so hot-state agents do not cross). */
	addQueue(number: string, name: string, requiredSkills: string[], ringSeconds?: number): Promise<void>;
	counts(): Promise<{ calls: number; events: number; deliveries: number; customers: number }>;
	close(): Promise<void>;
}

export const HANDLERS: Record<string, (s: VoiceServices, r: Request, u: URL) => Promise<Response>> = {
	[VOICE_PATHS.incoming]: incomingCallWebhook,
	[VOICE_PATHS.status]: callStatusWebhook,
	[VOICE_PATHS.dialAction]: dialActionWebhook,
	[VOICE_PATHS.wait]: queueWaitWebhook,
	[VOICE_PATHS.enqueueAction]: enqueueActionWebhook,
	[VOICE_PATHS.voicemailDone]: voicemailDoneWebhook,
	[VOICE_PATHS.recording]: recordingStatusWebhook,
	[VOICE_PATHS.queueBridge]: queueBridgeWebhook,
	[FALLBACK_PATHS.voice]: voiceFallbackWebhook,
	[VOICE_PATHS.outbound]: outboundCallWebhook,
	[VOICE_PATHS.outboundStatus]: outboundStatusWebhook,
	[VOICE_PATHS.outboundDialAction]: outboundDialActionWebhook,
	[VOICE_PATHS.outboundNotice]: outboundNoticeWebhook,
	[CONFERENCE_PATHS.events]: conferenceWebhook,
	[CONFERENCE_PATHS.holdMusic]: holdMusicWebhook,
	[VOICE_PATHS.transcription]: transcriptionWebhook
};

export interface VoiceHarnessOptions {
	/** Replace the local telephony adapter (e.g. one bound to a carrier twin), for the webhooks and the jobs alike. */
	telephony?: Adapters['telephony'];
	/** More environment, e.g. OUTBOUND_CLOCK_START for the outbound gate's clock. */
	env?: Record<string, string>;
	/**
	 * Work the `transcribe-recording` queue, i.e. run the local speech engine (pocketsphinx, a
	 * CPU-heavy child process) on every stored recording, as the app does. Default off: a
	 * recording's transcript is still queued (row `queued`, job `created`) but nothing works it,
	 * so tests not about transcripts do not pay for speech-to-text. Tests about transcripts
	 * (and what follows them: search, grading) pass true.
	 */
	transcribe?: boolean;
}

export async function createVoiceHarness(options: VoiceHarnessOptions = {}): Promise<VoiceHarness> {
	const config = parseConfig({
		TELEPHONY: 'local',
		TWILIO_ACCOUNT_SID: ACCOUNT_SID,
		TWILIO_AUTH_TOKEN: 'voice-harness-token',
		AUTH_SECRET: 'voice-harness-secret-at-least-32-characters',
		PUBLIC_BASE_URL,
		// The local carrier behind a public-looking URL, as signatures over https:// are what Twilio sends.
		I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true',
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-voice-')),
		LOG_LEVEL: 'error',
		...options.env
	});
	setLogLevel('error');
	const [testDb, created, hot] = await Promise.all([createTestDb(), createAdapters(config), createLocalHotState()]);
	const adapters: Adapters = options.telephony ? { ...created, telephony: options.telephony } : created;
	await seedVoiceQueues(testDb.db);
	const jobs = await createTestJobs(testDb, { adapters, hot }, { idleQueues: options.transcribe ? [] : ['transcribe-recording'] });
	const services: VoiceServices = { config, db: testDb.db, hot, adapters, jobs };
	const skills: { userId: string; skill: string; level: number }[] = [];

	return {
		services,
		config,
		testDb,
		hot,
		adapters,
		jobs,
		post(pathname, params, options = {}) {
			const handler = HANDLERS[new URL(pathname, PUBLIC_BASE_URL).pathname];
			if (!handler) throw new Error(`no voice handler for ${pathname}`);
			const { request, url } = signedRequest(adapters.telephony, { path: pathname, params, publicBaseUrl: PUBLIC_BASE_URL, ...options });
			return handler(services, request, url);
		},
		async addAgent(agentSkills, name) {
			const staff = await makeStaff(testDb.db, 'agent');
			const identity: Identity = { subject: staff.id, role: 'agent', name: name ?? staff.name };
			skills.push(...agentSkills.map((skill) => ({ userId: staff.id, skill, level: 3 })));
			await hot.mutation(api.agentSkills.replaceAll, { skills }, SYSTEM_IDENTITY);
			await hot.mutation(api.agentStatus.heartbeat, { softphone: 'ready' }, identity);
			await hot.mutation(api.agentStatus.setMine, { status: 'available' }, identity);
			return identity;
		},
		async addCustomer(phone, firstName = 'Ada') {
			return (await makeCustomer(testDb.db, { firstName, lastName: 'Lovelace', company: 'Analytical Engines', phones: [{ number: phone }] })).id;
		},
		async addQueue(number, name, requiredSkills, ringSeconds = 20) {
			await testDb.db.insert(voiceQueues).values({ number, name, requiredSkills, ringSeconds });
		},
		async counts() {
			const n = async (table: typeof calls | typeof callEvents | typeof webhookDeliveries | typeof customers) =>
				(await testDb.db.select({ n: count() }).from(table))[0]?.n ?? 0;
			return { calls: await n(calls), events: await n(callEvents), deliveries: await n(webhookDeliveries), customers: await n(customers) };
		},
		async close() {
			await jobs.stop();
			await Promise.allSettled([hot.close(), created.close(), testDb.close()]);
		}
	};
}

/**
 * Answer the carrier harness's webhook requests with Switchboard's handlers, as the app's routes
 * would (the public URL the carrier signed, its headers and body); `onAnswer` sees each status.
 */
export function answerCarrierWith(carrier: CarrierHarness, services: VoiceServices, onAnswer?: (status: number, path: string) => void): void {
	for (const [path, handler] of Object.entries(HANDLERS)) {
		carrier.routes.set(path, async (req) => {
			const url = new URL(`${req.path}${req.query.size ? `?${req.query.toString()}` : ''}`, carrier.server.url);
			const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : []));
			const res = await handler(services, new Request(url, { method: 'POST', headers, body: new Uint8Array(req.body) }), url);
			onAnswer?.(res.status, path);
			return { status: res.status, body: await res.text() };
		});
	}
}
