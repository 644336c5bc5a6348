/**
 * Jobs for tests: pg-boss on the test archive (the same PGlite instance, or the per-file
 * PostgreSQL database named by DATABASE_URL), polling fast. Test code only; may read process.env.
 */
import { sql } from 'drizzle-orm';
import type { TestDb } from '../db/test-db';
import { DEFAULT_SMS_RATES } from '../sms/sender-rate';
import { createJobs, type JobDeps, type JobName, type Jobs } from './jobs';

/** The per-file test database's own URL (DATABASE_URL points at the maintenance database). */
async function testDatabaseUrl(testDb: TestDb): Promise<string | undefined> {
	const base = process.env.DATABASE_URL;
	if (!base || testDb.database.driver !== 'postgres') return undefined;
	// postgres-js answers with the rows themselves.
	const rows: unknown = await testDb.db.execute(sql`select current_database() as name`);
	const name = (rows as { name: string }[])[0]?.name ?? '';
	const url = new URL(base);
	url.pathname = `/${name}`;
	return url.toString();
}

/** `settings` defaults to a test base URL and Twilio's default SMS rates. */
export async function createTestJobs(
	testDb: TestDb,
	deps: Omit<JobDeps, 'db' | 'settings' | 'jobs'> & { settings?: JobDeps['settings'] },
	options: { work?: boolean; soleWorker?: boolean; ready?: Promise<void>; idleQueues?: readonly JobName[] } = {}
): Promise<Jobs> {
	return createJobs({
		database: testDb.database,
		db: testDb.db,
		...deps,
		settings: deps.settings ?? { publicBaseUrl: 'https://switchboard.test', smsRates: DEFAULT_SMS_RATES },
		connectionString: await testDatabaseUrl(testDb),
		pollingIntervalSeconds: 0.5,
		work: options.work,
		idleQueues: options.idleQueues,
		soleWorker: options.soleWorker,
		ready: options.ready
	});
}
