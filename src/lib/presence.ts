/** Display names and colours for agent presence, shared by the header and the wallboard. */
import type { BadgeTone } from '$lib/components/ui/badge.svelte';

export const STATUS_LABEL: Record<string, string> = {
	available: 'Available',
	busy: 'Busy',
	away: 'Away',
	offline: 'Offline',
	ringing: 'Ringing',
	wrapup: 'Wrap-up'
};

export const STATUS_TONE: Record<string, BadgeTone> = {
	available: 'green',
	busy: 'amber',
	away: 'neutral',
	offline: 'neutral',
	ringing: 'blue',
	wrapup: 'violet'
};

export const SOFTPHONE_LABEL: Record<string, string> = {
	unregistered: 'Softphone off',
	registering: 'Connecting',
	ready: 'Softphone ready',
	error: 'Softphone error',
	'no-microphone': 'Microphone blocked'
};

/** Routing stops offering calls to a softphone silent this long (convex/lib/routing.ts HEARTBEAT_STALE_MS). */
export const HEARTBEAT_STALE_MS = 60_000;
/** Wallboard heartbeats are rounded down to this (convex/agentStatus.ts). */
const BUCKET_MS = 30_000;

/** Why calls cannot reach this agent's softphone now, or null when it is healthy. */
export function softphoneProblem(agent: { softphone: string; heartbeatAt: number | null; status: string }, now: number): string | null {
	if (agent.softphone !== 'ready') return SOFTPHONE_LABEL[agent.softphone] ?? agent.softphone;
	if (agent.heartbeatAt !== null && now - agent.heartbeatAt > HEARTBEAT_STALE_MS + BUCKET_MS) {
		return `Missed heartbeat (last ${formatSince(agent.heartbeatAt, now)} ago)`;
	}
	return null;
}

/** "4m 05s" / "1h 12m": how long someone has been in a state. */
export function formatSince(since: number, now: number): string {
	const seconds = Math.max(0, Math.floor((now - since) / 1000));
	const h = Math.floor(seconds / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	const s = seconds % 60;
	if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
	return `${m}m ${String(s).padStart(2, '0')}s`;
}

/**
 * Whether the status picker is locked: while a call rings, is on, or is in wrap-up the status
 * follows the call, and only the call or the server moves it on (agentStatus.setMine refuses too).
 */
export function statusPickerLocked(mine: { status: string; onCall: boolean } | null | undefined): boolean {
	if (!mine) return false;
	return mine.onCall || mine.status === 'ringing' || mine.status === 'wrapup';
}
