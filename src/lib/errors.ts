/** Words from anything thrown, for the browser, the server and scripts alike (a throw need not be an Error). */

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * For logs: the stack when there is one, so the line that failed is in the log. A failed
 * statement's parameters (drizzle puts them in its error's message: phone numbers, message
 * text) are left out; the statement and the database's own reason stay.
 */
export function errorDetail(error: unknown): string {
	if (error instanceof Error && 'query' in error && 'params' in error && error.message.startsWith('Failed query:')) {
		const cause = error.cause === undefined ? 'unknown' : errorDetail(error.cause);
		return `Failed query (parameters not logged): ${String(error.query)}\ncaused by: ${cause}`;
	}
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
