/**
 * The archive's drizzle client: embedded PGlite by default, postgres-js when DATABASE_URL is
 * set. Both expose the same PgDatabase type, so domain code never knows which runs.
 * Migrations from drizzle/ are applied on open.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Config } from '../env';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; domain functions accept `Db | Tx` where they may join a caller's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
	db: Db;
	driver: 'pglite' | 'postgres';
	/** The PGlite instance in embedded mode (pg-boss shares it); undefined on postgres. */
	pglite: PGlite | undefined;
	close(): Promise<void>;
}

/** drizzle/ at the project root; the app, its scripts and its tests all run from there. */
export const MIGRATIONS_DIR = path.resolve('drizzle');

/** Open the archive and bring its schema up to date. */
export async function openDatabase(database: Config['database'], migrationsFolder = MIGRATIONS_DIR): Promise<Database> {
	if (database.driver === 'postgres') {
		const sql = postgres(database.url, { max: 10, onnotice: () => {} });
		const db = drizzlePostgres({ client: sql, schema }) as unknown as Db;
		await migratePostgres(db as never, { migrationsFolder });
		return { db, driver: 'postgres', pglite: undefined, close: () => sql.end({ timeout: 5 }) };
	}
	const inMemory = database.dir === 'memory://' || database.dir === ':memory:';
	if (!inMemory) mkdirSync(database.dir, { recursive: true });
	const pglite = new PGlite(inMemory ? undefined : database.dir);
	const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
	await migratePglite(db as never, { migrationsFolder });
	return { db, driver: 'pglite', pglite, close: () => pglite.close() };
}
