/**
 * Durable background jobs on pg-boss 12, in the archive itself: on the same PGlite instance as
 * drizzle in local mode (one connection, so the worker runs in this process), on PostgreSQL
 * otherwise. A job is queued inside the caller's drizzle transaction (`enqueue(tx, ...)`), so it
 * exists exactly when the row that needs it was committed. pg-boss's job table is the visible
 * status (`status(name, id)`); domain rows add their own (e.g. calls.recording_status).
 */
import { rollUpDays } from '../reporting/roll-up-days';
import { errorMessage } from '../../errors';
import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss, type JobWithMetadata, type Queue } from 'pg-boss';
import type { Adapters } from '../adapters';
import type { Database, Db, Tx } from '../db/client';
import type { Config } from '../env';
import type { HotState } from '../live/hot';
import { logger } from '../log';
import { fetchMmsMediaJob, type FetchMmsMediaData } from '../sms/fetch-mms-media';
import { sendQueuedSmsJob, type DispatchClock, type SendQueuedSmsData } from '../sms/send-queued-sms';
import { fetchRecordingJob, type FetchRecordingData } from '../calls/fetch-recording';
import { closeCallJob, endWrapupJob, type CloseCallData, type EndWrapupData } from '../calls/record-call-activity';
import { retryHotWriteJob, type RetryHotWriteData } from '../calls/retry-hot-write';
import { weeklySummaries } from '../quality/summaries/weekly-summaries';
import { gradeCall, gradeWhenTranscribed, requestGrading, ungradedTranscripts, type GradeCallData } from '../quality/grading/grade-call';
import { transcribeRecordingJob, type TranscribeRecordingData } from '../transcripts/transcribe-recording';
import { announceVoicemailTranscript } from '../transcripts/voicemail-notice';

/** Every job's payload by queue name: the one list of what can be queued. */
export interface JobData {
	'fetch-recording': FetchRecordingData;
	'close-call': CloseCallData;
	'end-wrapup': EndWrapupData;
	'send-sms': SendQueuedSmsData;
	'fetch-mms-media': FetchMmsMediaData;
	'retry-hot-write': RetryHotWriteData;
	'grade-call': GradeCallData;
	'grade-sweep': Record<string, never>;
	'weekly-summaries': Record<string, never>;
	'roll-up-days': Record<string, never>;
	'transcribe-recording': TranscribeRecordingData;
}
export type JobName = keyof JobData;

/** What handlers get to work with (the composition root's pieces). */
export interface JobDeps {
	db: Db;
	/** Speech, broadcast and language AI are optional so tests of other jobs need not build them; transcription fails without speech. */
	adapters: Pick<Adapters, 'telephony' | 'storage'> & Partial<Pick<Adapters, 'speech' | 'broadcast' | 'languageAi'>>;
	hot: HotState;
	/** The settings handlers read (status callback URLs, SMS throughput). */
	settings: Pick<Config, 'publicBaseUrl' | 'smsRates'> & Partial<Pick<Config, 'deleteCarrierCopies' | 'reportingTimeZone'>>;
	/** For handlers that queue follow-up work. */
	jobs: Pick<Jobs, 'enqueue'>;
	/** Time for handlers that pace themselves (the SMS dispatcher); real time unless a test passes its own. */
	clock?: DispatchClock;
}

export interface JobContext {
	id: string;
	/** 0 on the first attempt. */
	retryCount: number;
	/** True when a failure now is final (no retry follows). */
	lastAttempt: boolean;
}

type Handler<N extends JobName> = (deps: JobDeps, data: JobData[N], job: JobContext) => Promise<void>;

interface QueueSpec<N extends JobName> {
	options: Omit<Queue, 'name'>;
	handle: Handler<N>;
	/** Handlers running at once in this process (default 1). */
	localConcurrency?: number;
	/**
	 * Seconds between polls while LISTEN/NOTIFY delivers (pg-boss's default is 30): a queue whose
	 * jobs wait behind each other must look again soon, since NOTIFY fires only on insert.
	 */
	notifyPollingIntervalSeconds?: number;
	/** A cron expression (UTC): pg-boss queues one job each time it comes due. */
	schedule?: string;
}

/** How far back the hourly rollup keeps whole days summed (a year's report and its previous period fit). */
const ROLL_UP_DAYS = 400;


/** Queue settings and handlers. Retries back off; a job that keeps failing stays visible as `failed`. */
export const JOB_QUEUES: { [N in JobName]: QueueSpec<N> } = {
	'fetch-recording': {
		options: { notify: true, retryLimit: 5, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 300 },
		handle: fetchRecordingJob
	},
	'close-call': {
		options: { notify: true, retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
		handle: closeCallJob
	},
	'end-wrapup': {
		options: { notify: true, retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: 60 },
		handle: endWrapupJob
	},
	// One job per outbound text, keyed by the sending number: pg-boss runs a number's jobs one at a
	// time in order (key_strict_fifo), so each number has exactly one dispatcher pacing its sends.
	// Its handler never fails for good (a failed job would hold the number's queue back).
	'send-sms': {
		options: { policy: 'key_strict_fifo', notify: true, retryLimit: 3, retryDelay: 1, retryBackoff: true, expireInSeconds: 120 },
		handle: (deps, data, job) => sendQueuedSmsJob(deps, data, job, deps.clock),
		localConcurrency: 4,
		notifyPollingIntervalSeconds: 2
	},
	// An inbound MMS's media into storage; only files still pending are fetched again on a retry.
	'fetch-mms-media': {
		options: { notify: true, retryLimit: 4, retryDelay: 5, retryBackoff: true, retryDelayMax: 120, expireInSeconds: 300 },
		handle: fetchMmsMediaJob,
		localConcurrency: 2
	},
	// A hot-state write a webhook could not make (calls/retry-hot-write.ts): about 20 minutes of tries.
	'retry-hot-write': {
		options: { notify: true, retryLimit: 25, retryDelay: 1, retryBackoff: true, retryDelayMax: 60, expireInSeconds: 60 },
		handle: retryHotWriteJob
	},
	// AI grading of a call's transcript (quality/grading/grade-call.ts): a throttled or failing
	// vendor is retried with back-off; on the last attempt the grade is marked failed for review.
	'grade-call': {
		options: { notify: true, retryLimit: 4, retryDelay: 30, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 300 },
		handle: (deps, data, job) => gradeCall({ db: deps.db, languageAi: deps.adapters.languageAi, storage: deps.adapters.storage }, data, job)
	},
	// Every few minutes: finished call transcripts with no AI grade yet get a grade-call job.
	'grade-sweep': {
		options: { retryLimit: 0, expireInSeconds: 120 },
		schedule: '*/5 * * * *',
		handle: async (deps) => {
			for (const callId of await ungradedTranscripts(deps.db)) await requestGrading(deps.db, deps.jobs, callId);
		}
	},
	// Hourly: the day rollup (reporting/roll-up-days.ts) of every settled day of the last 400, so
	// the first report of a year reads days already summed instead of rolling them while it waits.
	'roll-up-days': {
		options: { retryLimit: 1, retryDelay: 600, expireInSeconds: 1800 },
		schedule: '7 * * * *',
		handle: async (deps) => {
			const now = new Date();
			await rollUpDays(deps.db, deps.settings.reportingTimeZone ?? 'UTC', new Date(now.getTime() - ROLL_UP_DAYS * 86_400_000), now, now);
		}
	},
	// Mondays 06:00 UTC: last week's performance summary for every agent and queue (quality/summaries/).
	'weekly-summaries': {
		options: { retryLimit: 2, retryDelay: 300, expireInSeconds: 1800 },
		schedule: '0 6 * * 1',
		handle: async (deps) => {
			await weeklySummaries({ db: deps.db, languageAi: deps.adapters.languageAi });
		}
	},
	// A stored recording into the transcript archive (transcripts/transcribe-recording.ts); a long
	// call takes the offline engine about its own length per channel, hence the 3 h expiry. Bad
	// audio fails at once; an engine that may recover is tried again over about twenty minutes.
	'transcribe-recording': {
		// exclusive: at most one queued or running job per transcript (its singleton key).
		options: { policy: 'exclusive', notify: true, retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 3 * 3600 },
		handle: (deps, data, job) =>
			transcribeRecordingJob(
				{
					db: deps.db,
					adapters: deps.adapters,
					onDone: async (id) => {
						await announceVoicemailTranscript({ db: deps.db, broadcast: deps.adapters.broadcast }, id);
						// A finished call transcript is graded by the AI (quality/grading/grade-call.ts).
						await gradeWhenTranscribed(deps.db, deps.jobs, id);
					}
				},
				data,
				job
			)
	}
};

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobStatus {
	id: string;
	name: JobName;
	state: JobState;
	retryCount: number;
	createdOn: Date;
	completedOn: Date | null;
	/** The error of the last failed attempt, when there was one. */
	error: string | null;
}

export interface Jobs {
	/** Queue a job in the caller's transaction: it runs only if that transaction commits. Returns the job id. */
	enqueue<N extends JobName>(
		tx: Tx | Db,
		name: N,
		data: JobData[N],
		options?: { startAfter?: Date | number; singletonKey?: string }
	): Promise<string>;
	/** A job's state as pg-boss keeps it, or null when unknown (or deleted after its retention). */
	status(name: JobName, id: string): Promise<JobStatus | null>;
	/** Stop the worker and let running handlers finish; call before the archive closes. */
	stop(): Promise<void>;
}

export interface CreateJobsInput extends Omit<JobDeps, 'jobs'> {
	database: Pick<Database, 'driver' | 'pglite'>;
	/** PostgreSQL mode: pg-boss's own pool connects here (config.database.url). */
	connectionString?: string;
	/** Run handlers in this process (default true); false only queues, for processes that must not work. */
	work?: boolean;
	/** Queues whose jobs are queued but not worked here (tests that are not about them); the app passes none. */
	idleQueues?: readonly JobName[];
	/** Seconds between polls when LISTEN/NOTIFY is not delivering (default 2). */
	pollingIntervalSeconds?: number;
	/**
	 * This process is the archive's only worker (PGlite, or the single-server lock held): a job
	 * still `active` at start was cut off by the previous process dying (SIGKILL, power loss), so
	 * it is failed at once and retried under its queue's policy, not left until its expiry (up to
	 * five minutes). Never with several servers: their running jobs look the same.
	 */
	soleWorker?: boolean;
	/**
	 * Handlers wait for this before running (default: at once). The server passes the end of its
	 * hot-state rebuild, so no job reads live state (agents, calls, queues) before it is rebuilt
	 * from the archive after a restart.
	 */
	ready?: Promise<void>;
}


const log = logger('jobs');

function errorText(output: unknown): string | null {
	if (!output || typeof output !== 'object') return null;
	const o = output as { message?: unknown };
	return typeof o.message === 'string' ? o.message : null;
}

/** Jobs a dead process left `active` go to retry at once (or to failed, past their retry limit, by pg-boss's own rules). */
async function failCutOffJobs(boss: PgBoss, name: JobName): Promise<void> {
	const { rows } = await boss.getDb().executeSql(`select id from pgboss.job where name = $1 and state = 'active'`, [name]);
	const ids = (rows as { id: string }[]).map((r) => r.id);
	if (ids.length === 0) return;
	await boss.fail(name, ids, { message: 'the server stopped while this job ran' });
	// The job did not fail, its process died: its retry runs now rather than after the back-off.
	await boss.getDb().executeSql(`update pgboss.job set start_after = now() where name = $1 and id = any($2::uuid[]) and state = 'retry'`, [name, ids]);
	log.warn(`${ids.length} ${name} job(s) cut off by the previous server process are retried`);
}

export async function createJobs(input: CreateJobsInput): Promise<Jobs> {
	const { database } = input;
	let boss: PgBoss;
	if (database.driver === 'pglite') {
		if (!database.pglite) throw new Error('createJobs: the PGlite archive did not expose its instance');
		boss = new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite', useListenNotify: true, schema: 'pgboss' });
	} else {
		if (!input.connectionString) throw new Error('createJobs: PostgreSQL mode needs the database URL as connectionString');
		boss = new PgBoss({ connectionString: input.connectionString, useListenNotify: true, schema: 'pgboss', max: 4 });
	}
	boss.on('error', (error) => log.error('pg-boss error', { error: String((error as { message?: string }).message ?? error) }));
	await boss.start();

	const jobs: Jobs = {
		async enqueue(tx, name, data, options = {}) {
			const id = await boss.send(name, data as object, {
				db: fromDrizzle(tx as never, sql as never),
				...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
				...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {})
			});
			if (!id) throw new Error(`pg-boss did not queue ${name}`);
			return id;
		},
		async status(name, id) {
			const [job] = await boss.findJobs<JobData[JobName]>(name, { id });
			if (!job) return null;
			return {
				id: job.id,
				name,
				state: job.state,
				retryCount: job.retryCount,
				createdOn: job.createdOn,
				completedOn: job.completedOn ?? null,
				error: job.state === 'failed' || job.state === 'retry' ? errorText(job.output) : null
			};
		},
		async stop() {
			await boss.stop({ graceful: true, timeout: 5000 });
		}
	};

	const deps: JobDeps = {
		db: input.db,
		adapters: input.adapters,
		hot: input.hot,
		settings: input.settings,
		jobs,
		...(input.clock ? { clock: input.clock } : {})
	};
	for (const [name, spec] of Object.entries(JOB_QUEUES) as [JobName, QueueSpec<JobName>][]) {
		await boss.createQueue(name, spec.options);
		if (input.soleWorker) await failCutOffJobs(boss, name);
		if (input.work === false || input.idleQueues?.includes(name)) continue;
		if (spec.schedule) await boss.schedule(name, spec.schedule, {}, { tz: 'UTC' });
		const retryLimit = spec.options.retryLimit ?? 2;
		await boss.work(
			name,
			{
				pollingIntervalSeconds: Math.min(input.pollingIntervalSeconds ?? 2, spec.notifyPollingIntervalSeconds ?? 2),
				...(spec.notifyPollingIntervalSeconds ? { notifyPollingIntervalSeconds: spec.notifyPollingIntervalSeconds } : {}),
				includeMetadata: true as const,
				localConcurrency: spec.localConcurrency ?? 1
			},
			async ([job]: JobWithMetadata<JobData[JobName]>[]) => {
				if (!job) return;
				await input.ready;
				try {
					await spec.handle(deps, job.data, { id: job.id, retryCount: job.retryCount, lastAttempt: job.retryCount >= retryLimit });
				} catch (error) {
					log.warn(`job ${name} failed`, { id: job.id, attempt: job.retryCount + 1, error: errorMessage(error) });
					throw error;
				}
			}
		);
	}

	return jobs;
}
