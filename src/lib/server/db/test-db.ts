/**
 * A fresh, migrated archive for one test file. PGlite in memory by default; when DATABASE_URL
 * is set (npm run test:db:pg), a new PostgreSQL database created for the caller and dropped on
 * close, so files never see each other's rows. Test helpers may read process.env; app code may not.
 *
 * Booting PGlite runs initdb, which costs seconds per file; the first file therefore saves a
 * migrated data directory under the OS temp folder (keyed by the PGlite version and the
 * migrations) and later files start from that copy. Likewise on PostgreSQL, where migrating a
 * new database takes seconds: the first file migrates a template database (named by the
 * migrations' hash) and every file's database is created as a copy of it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { MIGRATIONS_DIR, openDatabase, type Database, type Db } from './client';
import * as schema from './schema';

export interface TestDb {
	db: Db;
	database: Database;
	close(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
	const url = process.env.DATABASE_URL;
	const database = url ? await createPostgresTestDb(url) : await createPgliteTestDb();
	return { db: database.db, database, close: () => database.close() };
}

// ---- PGlite ----

/** A hash of the migrations folder (file names and contents), plus `extra`. */
function migrationsHash(extra = ''): string {
	const hash = createHash('sha256').update(extra);
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else hash.update(entry.name).update(readFileSync(full));
		}
	};
	if (existsSync(MIGRATIONS_DIR)) walk(MIGRATIONS_DIR);
	return hash.digest('hex').slice(0, 16);
}

function snapshotPath(): string {
	const pgliteVersion = readFileSync(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8');
	return path.join(tmpdir(), `switchboard-test-pglite-${migrationsHash(pgliteVersion)}.tar`);
}

async function createPgliteTestDb(): Promise<Database> {
	const snapshot = snapshotPath();
	if (existsSync(snapshot)) {
		try {
			const pglite = new PGlite({ loadDataDir: new Blob([await readFile(snapshot)]) });
			const db = drizzle({ client: pglite, schema }) as unknown as Db;
			// Already applied in the snapshot; this only confirms it.
			await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
			return { db, driver: 'pglite', pglite, close: () => pglite.close() };
		} catch {
			// An unreadable snapshot (interrupted write, other PGlite build) is rebuilt below.
		}
	}
	const database = await openDatabase({ driver: 'pglite', dir: 'memory://' });
	const pglite = database.pglite as PGlite;
	const dump = await pglite.dumpDataDir('none');
	const partial = `${snapshot}.${process.pid}.${randomBytes(4).toString('hex')}`;
	await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
	await rename(partial, snapshot);
	return database;
}

// ---- PostgreSQL ----

async function createPostgresTestDb(url: string): Promise<Database> {
	const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
	const template = await migratedTemplate(url);
	const maintenance = await maintenanceConnection(url);
	try {
		await maintenance.unsafe(`create database "${name}" template "${template}"`);
	} finally {
		await maintenance.end({ timeout: 5 });
	}
	const testUrl = new URL(url);
	testUrl.pathname = `/${name}`;
	let database: Database;
	try {
		// Already applied in the template; this only confirms it.
		database = await openDatabase({ driver: 'postgres', url: testUrl.toString() });
	} catch (error) {
		await dropDatabase(url, name);
		throw error;
	}
	return {
		...database,
		async close() {
			await database.close();
			await dropDatabase(url, name);
		}
	};
}

/** Any number: the session lock that lets one test file at a time build the template. */
const TEMPLATE_LOCK = 7_130_406_211;

/**
 * The migrated template database for these migrations, built once per server by whichever
 * file gets there first (under an advisory lock, so parallel files and runs wait for it). It
 * takes its final name only when complete, and nothing stays connected to it, as CREATE
 * DATABASE ... TEMPLATE requires.
 */
async function migratedTemplate(url: string): Promise<string> {
	const template = `switchboard_template_${migrationsHash()}`;
	const maintenance = await maintenanceConnection(url);
	try {
		await maintenance`select pg_advisory_lock(${TEMPLATE_LOCK})`;
		try {
			const found = await maintenance`select 1 from pg_database where datname = ${template}`;
			if (found.length === 0) {
				const building = `${template}_building`;
				await maintenance.unsafe(`drop database if exists "${building}" with (force)`);
				await maintenance.unsafe(`create database "${building}"`);
				const buildUrl = new URL(url);
				buildUrl.pathname = `/${building}`;
				await (await openDatabase({ driver: 'postgres', url: buildUrl.toString() })).close();
				// A closed client's server process may linger a moment; the rename needs it gone.
				await maintenance`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${building}`;
				await maintenance.unsafe(`alter database "${building}" rename to "${template}"`);
			}
		} finally {
			await maintenance`select pg_advisory_unlock(${TEMPLATE_LOCK})`;
		}
	} finally {
		await maintenance.end({ timeout: 5 });
	}
	return template;
}

/**
 * A connection for CREATE/DROP DATABASE: to the database named in the URL, or to `postgres`
 * when that one does not exist (the CI URL names `test`, which nobody has to create).
 */
async function maintenanceConnection(url: string): Promise<postgres.Sql> {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await sql`select 1`;
		return sql;
	} catch (error) {
		await sql.end({ timeout: 5 });
		if ((error as { code?: string }).code !== '3D000') throw error;
		const fallback = new URL(url);
		fallback.pathname = '/postgres';
		return postgres(fallback.toString(), { max: 1, onnotice: () => {} });
	}
}

async function dropDatabase(url: string, name: string): Promise<void> {
	const maintenance = await maintenanceConnection(url);
	try {
		await maintenance.unsafe(`drop database if exists "${name}" with (force)`);
	} finally {
		await maintenance.end({ timeout: 5 });
	}
}
