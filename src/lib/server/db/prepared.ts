/**
 * A statement the webhook path runs for every call, as a named prepared statement on
 * PostgreSQL: postgres-js keeps it per connection, so after its first run a call costs one
 * Bind/Execute round trip instead of Parse, Describe, a wait for the parameter types, then
 * Bind/Execute, and PostgreSQL reuses its plan instead of planning the statement again. The
 * text must not change between runs (values go in as parameters; the grouped statements pass
 * their rows as one jsonb parameter). On PGlite, or inside a transaction, it is an ordinary
 * execute.
 *
 * The two grouped statements of a new inbound call (record-incoming-call.ts) spent about as
 * long being parsed and planned as being executed (issue 17 item 5: PostgreSQL's statement log
 * under the 50-concurrent burst).
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client';
import { rowsOf } from './rows';

const dialect = new PgDialect();

/** The part of a postgres-js client used here. */
interface PostgresJsClient {
	options: { prepare?: boolean };
	unsafe(query: string, params: unknown[], options: { prepare: boolean }): Promise<Iterable<Record<string, unknown>>>;
}

const isPostgresJs = (client: unknown): client is PostgresJsClient => typeof (client as Partial<PostgresJsClient> | null)?.unsafe === 'function';

export async function executePrepared(db: Db, statement: SQL): Promise<Record<string, unknown>[]> {
	const client = (db as { $client?: unknown }).$client;
	if (isPostgresJs(client)) {
		const { sql, params } = dialect.sqlToQuery(statement);
		// A client made with `prepare: false` (a transaction-mode pooler in front) keeps its choice.
		return [...(await client.unsafe(sql, params, { prepare: client.options.prepare !== false }))];
	}
	const result: unknown = await db.execute(statement);
	return rowsOf(result);
}
