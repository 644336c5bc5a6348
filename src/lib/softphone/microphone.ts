/**
 * The Voice SDK's microphone errors, in words for the agent. Both arrive on the Call (when it is
 * answered or placed), not only on the Device: 31401 the browser denied the microphone, 31402
 * there is no microphone to open (unplugged, or taken by another application).
 */
export const MICROPHONE_BLOCKED = 'Microphone access is blocked: allow it in the browser to take calls.';
export const MICROPHONE_MISSING = 'No microphone was found: plug one in (or choose another in Settings) to take calls.';

/** The message for a microphone error code, or null for any other error. */
export function microphoneProblem(code: number): string | null {
	if (code === 31401) return MICROPHONE_BLOCKED;
	if (code === 31402) return MICROPHONE_MISSING;
	return null;
}
