/**
 * PostgreSQL's tsvector for drizzle (it has no built-in one). Search columns of this type are
 * generated (`generatedAlwaysAs`), so the database keeps them in step with the text they index
 * on PGlite and PostgreSQL alike; the app never writes them.
 */
import { customType } from 'drizzle-orm/pg-core';

export const tsvector = customType<{ data: string; driverData: string }>({
	dataType() {
		return 'tsvector';
	}
});

/** The one text search configuration every search column and query uses (stemming, stop words). */
export const SEARCH_CONFIG = 'english';
