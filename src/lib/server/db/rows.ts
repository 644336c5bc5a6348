/**
 * Raw SQL through drizzle (`db.execute`) answers per driver: postgres-js with the rows
 * themselves, PGlite with `{ rows }`. Read both here, not at every call site.
 */
import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client';

/** The rows of a `db.execute` result, from either driver. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return (result as { rows?: T[] } | null | undefined)?.rows ?? [];
}

/** Run raw SQL and read its rows, on either driver. */
export async function selectRows<T = Record<string, unknown>>(db: Db | Tx, query: SQL): Promise<T[]> {
	return rowsOf<T>(await db.execute(query));
}
