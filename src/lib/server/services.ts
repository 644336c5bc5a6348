/**
 * The composition root: opens the archive, picks every port's adapter from validated config,
 * starts the hot-state engine and sign-in, and hands them to routes as one object. Domain
 * functions never reach for globals; they take what they need from here as arguments.
 */
import { createAdapters, type Adapters } from './adapters';
import { createAuth, type Auth } from './auth/auth';
import { bootstrapAdmin } from './auth/bootstrap-admin';
import { openDatabase, type Database, type Db } from './db/client';
import { holdSingleServerLock } from './db/single-server-lock';
import { createJobs, type Jobs } from './jobs/jobs';
import { describeAdapters, getConfig, type Config } from './env';
import { createHotState, type HotState } from './live/hot';
import { logger, setLogLevel } from './log';
import { resolveLocalSecrets } from './local-secrets';
import { seedDemo } from './seed/seed-demo';
import { rebuildHotState } from './live/rebuild-hot-state';
import { startSpoolReplayer } from './webhooks/replay-spool';
import { seedVoiceQueues } from './calls/seed-voice-queues';
import { seedQualityDemo } from './seed/seed-quality-demo';
import { provisionLocalCarrier } from './provision-numbers';
import { WallboardFeed } from './reporting/wallboard-feed';
import { startAgentStateRecorder } from './reporting/agent-state-recorder';

export interface Services {
	config: Config;
	database: Database;
	db: Db;
	adapters: Adapters;
	hot: HotState;
	auth: Auth;
	jobs: Jobs;
	/** The one wallboard computation every open wallboard follows. */
	wallboard: WallboardFeed;
	close(): Promise<void>;
}

export interface CreateServicesOptions {
	/** Seed demo users and customers when the archive is empty (local mode only). */
	seed?: boolean;
}

export async function createServices(input: Config, options: CreateServicesOptions = {}): Promise<Services> {
	const log = logger('services');
	const config = await resolveLocalSecrets(input);
	setLogLevel(config.logLevel);
	// Before anything is opened or started: a second LIVE=local server must not touch the archive's jobs or calls.
	const lock =
		config.live.adapter === 'local' && config.database.driver === 'postgres' ? await holdSingleServerLock(config.database.url) : undefined;
	const database = await openDatabase(config.database);
	const adapters = await createAdapters(config);
	const auth = createAuth(database.db, config);
	if (options.seed ?? config.demoData) {
		await seedDemo({ db: database.db, auth, config });
		await seedVoiceQueues(database.db);
		await seedQualityDemo({ db: database.db, storage: adapters.storage, languageAi: adapters.languageAi });
	}
	if (config.bootstrapAdmin) await bootstrapAdmin(auth, database.db, config.bootstrapAdmin);
	// Local mode: the carrier's numbers are configured the way `npm run provision` configures Twilio's.
	const provisioned = await provisionLocalCarrier({ db: database.db, telephony: adapters.telephony, publicBaseUrl: config.publicBaseUrl });
	if (provisioned?.applied) log.info(`local carrier: ${provisioned.changes.length} number settings provisioned`);
	const hot = await createHotState(config);
	// Workers start polling now but run nothing until the hot state is rebuilt below.
	let hotStateRebuilt!: () => void;
	const ready = new Promise<void>((resolve) => (hotStateRebuilt = resolve));
	const jobs = await createJobs({
		ready,
		database,
		db: database.db,
		adapters,
		hot,
		settings: config,
		connectionString: config.database.driver === 'postgres' ? config.database.url : undefined,
		// PGlite is one process; on PostgreSQL the lock makes this server the only worker.
		soleWorker: config.database.driver === 'pglite' || lock !== undefined
	});
	// Calls that ended while the server was down are closed (with the carrier's word) before any webhook is served.
	await rebuildHotState({ db: database.db, hot, voice: { config, db: database.db, hot, adapters, jobs } });
	hotStateRebuilt();
	// Deliveries the fallback routes spooled while the archive was down go into it now, and whenever it is back.
	const stopSpoolReplayer = startSpoolReplayer({ config, db: database.db, hot, jobs, adapters });
	const wallboard = new WallboardFeed({ db: database.db, broadcast: adapters.broadcast, timeZone: config.reportingTimeZone });
	// Staffed and handling time for occupancy in history.
	const stopAgentStates = startAgentStateRecorder({ db: database.db, hot });
	log.info(`adapters: ${describeAdapters(config)}`);
	return {
		config,
		database,
		db: database.db,
		adapters,
		hot,
		auth,
		jobs,
		wallboard,
		async close() {
			wallboard.stop();
			stopAgentStates();
			await stopSpoolReplayer();
			await jobs.stop();
			await hot.close();
			await adapters.close();
			await database.close();
			await lock?.release();
		}
	};
}

let app: Promise<Services> | undefined;

/** The server process's services, created on first use. */
export function getServices(): Promise<Services> {
	app ??= createServices(getConfig());
	return app;
}
