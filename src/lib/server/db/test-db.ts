/**
 * A fresh, migrated archive for one test file. PGlite in memory by default; when DATABASE_URL
 * is set (npm run test:db:pg), a new PostgreSQL database created for the caller and dropped on
 * close, so files never see each other's rows. Test helpers may read process.env; app code may not.
 *
 * Booting PGlite runs initdb, which costs seconds per file; the first file therefore saves a
 * migrated data directory under the OS temp folder (keyed by the PGlite version and the
 * migrations) and later files start from that copy.
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

function snapshotPath(): string {
	const hash = createHash('sha256');
	hash.update(readFileSync(path.resolve('node_modules/@electric-sql/pglite/package.json')));
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else hash.update(entry.name).update(readFileSync(full));
		}
	};
	if (existsSync(MIGRATIONS_DIR)) walk(MIGRATIONS_DIR);
	return path.join(tmpdir(), `switchboard-test-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
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
	const maintenance = await maintenanceConnection(url);
	try {
		await maintenance.unsafe(`create database "${name}"`);
	} finally {
		await maintenance.end({ timeout: 5 });
	}
	const testUrl = new URL(url);
	testUrl.pathname = `/${name}`;
	let database: Database;
	try {
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
