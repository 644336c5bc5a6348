/**
 * With LIVE=local each Switchboard process keeps the hot state (who is available, which call
 * rings whom) in its own memory, so a second process on the same PostgreSQL would route every
 * call a second time. The first process takes a session-level advisory lock on a connection of
 * its own and keeps it for its whole life; a second finds it taken and refuses to start.
 * (Embedded PGlite is one process by construction.)
 */
import postgres from 'postgres';
import { logger } from '../log';

/** Arbitrary but fixed: "SWBD" "LIVE" in ASCII. Advisory locks are per database. */
export const SINGLE_SERVER_LOCK_KEY = '6005341489226929733';

export const SECOND_SERVER_MESSAGE =
	'Another Switchboard process already serves this PostgreSQL database with LIVE=local. Each such process keeps calls, ' +
	'queues and agent states in its own memory, so two would route every call twice. Stop the other process, or set ' +
	'LIVE=convex (hot state in Convex, see README "More than one server") to run several servers on one database.';

export class SecondServerError extends Error {
	constructor() {
		super(SECOND_SERVER_MESSAGE);
		this.name = 'SecondServerError';
	}
}

export interface SingleServerLock {
	/** Let another process take over (on shutdown). */
	release(): Promise<void>;
}

/** Take the lock on a dedicated connection, or throw SecondServerError when another process holds it. */
export async function holdSingleServerLock(url: string): Promise<SingleServerLock> {
	const log = logger('db');
	let released = false;
	const sql = postgres(url, {
		max: 1,
		// The lock lives as long as this one connection: never recycle it for age or idleness.
		max_lifetime: 0,
		idle_timeout: 0,
		onnotice: () => {},
		onclose: () => {
			if (!released) log.error('the connection holding the single-server lock closed: another LIVE=local process could now start on this database');
		}
	});
	let locked = false;
	try {
		const [row] = await sql<{ locked: boolean }[]>`select pg_try_advisory_lock(${SINGLE_SERVER_LOCK_KEY}::bigint) as locked`;
		locked = row?.locked === true;
	} finally {
		if (!locked) {
			released = true;
			await sql.end({ timeout: 5 });
		}
	}
	if (!locked) throw new SecondServerError();
	return {
		async release() {
			if (released) return;
			released = true;
			await sql.end({ timeout: 5 });
		}
	};
}
