/** What the wallboard stream carries (server: reporting/wallboard-snapshot.ts and wallboard-feed.ts). */
import type { Figures, QueueTargets } from './metrics';

export interface QueueBoard {
	queue: string;
	targets: QueueTargets;
	today: Figures;
	/** The current 15-minute interval. */
	now: Figures;
	waiting: number;
	/** When the longest-waiting caller still unanswered was offered (ISO), or null. */
	longestWaitSince: string | null;
}

export interface WallboardSnapshot {
	/** When the server computed it (ISO): the page shows the data's age from this. */
	computedAt: string;
	timeZone: string;
	dayStart: string;
	queues: QueueBoard[];
	waitingCalls: { callId: string; queue: string; since: string }[];
}

export interface SupervisorAlert {
	/** Stable per condition (a queue's drop under target that day, a caller's long wait): screens show each once. */
	id: string;
	kind: 'service-level' | 'long-wait';
	queue: string;
	message: string;
	at: string;
}
