/** Words from anything thrown, for the browser, the server and scripts alike (a throw need not be an Error). */

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** For logs: the stack when there is one, so the line that failed is in the log. */
export function errorDetail(error: unknown): string {
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
