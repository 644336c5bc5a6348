/**
 * Shared between a recording's player and what follows it (the transcript view, search
 * results): where playback is, and a pending "play from here" request. The player applies a
 * request once it has audio (asking for the signed URL first if needed), so a click on a line
 * works before anyone pressed play.
 */
export class PlayerClock {
	/** Seconds into the recording, as the player last reported. */
	time = $state(0);
	playing = $state(false);
	/** A seek the player has not applied yet. */
	pending = $state<number | null>(null);

	/** Play from `seconds` (starting the player if it is not loaded). */
	seek(seconds: number): void {
		this.pending = Math.max(0, seconds);
	}

	/** The player took the request. */
	take(): number | null {
		const at = this.pending;
		this.pending = null;
		return at;
	}
}

/** The index of the line playing at `time`: the last one that started at or before it (-1 before the first). */
export function currentLine(lines: readonly { start: number }[], time: number): number {
	let found = -1;
	for (const [i, line] of lines.entries()) {
		if (line.start <= time + 0.05) found = i;
		else break;
	}
	return found;
}
