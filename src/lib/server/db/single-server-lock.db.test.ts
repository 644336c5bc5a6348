/**
 * Two Switchboard servers with LIVE=local on one PostgreSQL database: the second refuses to
 * start, the first carries on. Always on PostgreSQL (127.0.0.1:5432 unless DATABASE_URL names
 * another server), in a database of its own that is dropped afterwards; PGlite is one process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../env';
import { createServices, type Services } from '../services';
import { user } from './schema/auth';
import { holdSingleServerLock, SecondServerError, type SingleServerLock } from './single-server-lock';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `single_server_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
const url = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();

async function onServer<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = postgres(SERVER, { max: 1, onnotice: () => {} });
	try {
		return await fn(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

beforeAll(() => onServer((sql) => sql.unsafe(`create database "${name}"`)));
afterAll(() => onServer((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`)));

const config = (live: Record<string, string> = {}) =>
	parseConfig({
		DATABASE_URL: url,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-single-server-')),
		AUTH_SECRET: 'single-server-test-secret-at-least-32-chars',
		DEMO_DATA: 'false',
		LOG_LEVEL: 'silent',
		...live
	});

describe('one LIVE=local server per PostgreSQL database', () => {
	it('refuses a second holder of the lock until the first lets go', async () => {
		const first = await holdSingleServerLock(url);
		let third: SingleServerLock | undefined;
		try {
			await expect(holdSingleServerLock(url)).rejects.toBeInstanceOf(SecondServerError);
			await expect(holdSingleServerLock(url)).rejects.toThrow(/set LIVE=convex/);
		} finally {
			await first.release();
		}
		try {
			third = await holdSingleServerLock(url);
		} finally {
			await third?.release();
		}
	});

	it('stops a second app instance at start with a message pointing to LIVE=convex, and leaves the first serving', async () => {
		const first: Services = await createServices(config());
		try {
			await expect(createServices(config())).rejects.toThrow(
				/Another Switchboard process already serves this PostgreSQL database with LIVE=local.*route every call twice.*set LIVE=convex/
			);
			// The first still reads and writes its archive and still holds the lock.
			await first.db.insert(user).values({ id: 'u-first', name: 'Still here', email: 'still@example.com', role: 'admin' });
			expect(await first.db.select({ id: user.id }).from(user)).toEqual([{ id: 'u-first' }]);
			await expect(holdSingleServerLock(url)).rejects.toBeInstanceOf(SecondServerError);
		} finally {
			await first.close();
		}
		// Once the first has shut down, a replacement starts.
		const replacement = await createServices(config());
		await replacement.close();
	});
});
