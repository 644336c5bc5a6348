/**
 * The wrap-up form opens the moment the agent hangs up in the browser, and the carrier's word that
 * the call ended (its status callback) can reach the archive a moment later. A save made in between
 * is refused as CALL_IN_PROGRESS; rather than tell an agent who has hung up to hang up first, the
 * save waits for the hang-up to land and goes again, for up to `attempts` x `pauseMs`. Any other
 * refusal, or the same one once that time is spent, is the caller's to show.
 */
export async function saveWhenEnded(
	save: () => Promise<void>,
	codeOf: (error: unknown) => string | null,
	{ attempts = 20, pauseMs = 500, pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) } = {}
): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			await save();
			return;
		} catch (error) {
			if (codeOf(error) !== 'CALL_IN_PROGRESS' || attempt >= attempts) throw error;
			await pause(pauseMs);
		}
	}
}
