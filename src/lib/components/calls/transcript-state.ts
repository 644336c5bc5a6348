/** The transcript view's plain helpers: speaker names and copying the lines as text. */
import type { TranscriptLine } from '$lib/server/db/schema/transcripts';
import { formatSeconds } from './recording-playback.svelte';

export const SPEAKER_LABELS: Record<TranscriptLine['speaker'], string> = {
	agent: 'Agent',
	customer: 'Customer',
	unknown: 'Speaker'
};

/** `[0:05] Customer: text` per line. */
export function transcriptText(lines: readonly TranscriptLine[]): string {
	return lines.map((l) => `[${formatSeconds(Math.floor(l.start))}] ${SPEAKER_LABELS[l.speaker]}: ${l.text}`).join('\n');
}

/** Copies the lines; answers what to tell the person. */
export async function copyTranscript(lines: readonly TranscriptLine[], write: (text: string) => Promise<void>): Promise<string> {
	try {
		await write(transcriptText(lines));
		return 'Copied';
	} catch {
		return 'Could not copy; select the lines and copy them instead.';
	}
}
