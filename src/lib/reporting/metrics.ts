/**
 * Every number the wallboard, the history page and the CSV show, defined once: the formula as
 * code and as the sentence shown beside each tile, and the thresholds that colour it. Rates
 * divide sums over the same calls (counted in the interval they were offered in), so a day's
 * figure is the same whether read from 96 intervals or one. Shared by the server and the pages.
 */

/** The sums report_intervals keeps (all additive, so a range is the sum of its intervals). */
export interface IntervalSums {
	offered: number;
	answered: number;
	answeredInTarget: number;
	abandoned: number;
	shortAbandons: number;
	callbacks: number;
	transfers: number;
	handled: number;
	waitAnsweredSeconds: number;
	talkSeconds: number;
	holdSeconds: number;
	wrapupSeconds: number;
	wrapups: number;
	placed: number;
	/** Callers who reached a queue while it was closed (not in offered, SL or abandonment). */
	offeredClosed: number;
	/** Outbound and campaign calls the far end answered, and their talk seconds. */
	connected: number;
	outboundTalkSeconds: number;
	/** Agent time (agent_state_intervals): signed in and not away, and of that, on a call or in wrap-up. */
	staffedSeconds: number;
	handlingSeconds: number;
}

/** The sums report_intervals keeps as columns (call facts). */
export const CALL_SUM_FIELDS = [
	'offered',
	'answered',
	'answeredInTarget',
	'abandoned',
	'shortAbandons',
	'callbacks',
	'transfers',
	'handled',
	'waitAnsweredSeconds',
	'talkSeconds',
	'holdSeconds',
	'wrapupSeconds',
	'wrapups',
	'placed',
	'offeredClosed',
	'connected',
	'outboundTalkSeconds'
] as const satisfies readonly (keyof IntervalSums)[];

/** The sums agent_state_intervals keeps (agent time, which belongs to no queue). */
export const STATE_SUM_FIELDS = ['staffedSeconds', 'handlingSeconds'] as const satisfies readonly (keyof IntervalSums)[];

export const SUM_FIELDS = [...CALL_SUM_FIELDS, ...STATE_SUM_FIELDS] as const;

/** Hot-state statuses that count as signed in and not away, and those that count as handling. */
export const STAFFED_STATES: readonly string[] = ['available', 'ringing', 'busy', 'wrapup'];
export const HANDLING_STATES: readonly string[] = ['busy', 'wrapup'];

export const emptySums = (): IntervalSums => Object.fromEntries(SUM_FIELDS.map((f) => [f, 0])) as unknown as IntervalSums;

export function addSums(into: IntervalSums, add: Partial<IntervalSums>): IntervalSums {
	for (const f of SUM_FIELDS) into[f] += add[f] ?? 0;
	return into;
}

/** A queue's thresholds (voice_queues columns). */
export interface QueueTargets {
	slTargetSeconds: number;
	slTargetPercent: number;
	shortAbandonSeconds: number;
	waitAlertSeconds: number;
}

export type MetricId =
	| 'offered'
	| 'answered'
	| 'abandoned'
	| 'serviceLevel'
	| 'asa'
	| 'abandonRate'
	| 'aht'
	| 'occupancy'
	| 'longestWait'
	| 'queueDepth'
	| 'callsPerAgent'
	| 'transfers'
	| 'shortAbandons'
	| 'callbacks'
	| 'offeredClosed'
	| 'placed'
	| 'connected';

export type Tone = 'good' | 'warn' | 'bad' | 'none';

export interface MetricDefinition {
	id: MetricId;
	label: string;
	unit: 'percent' | 'seconds' | 'count';
	/** The formula as the tile's "how is this computed" says it. */
	formula: string;
	/** The colour rule, in words; thresholds that depend on the queue name its setting. */
	threshold: string;
}

/** How far under the queue's service-level target a tile turns red rather than amber (percentage points). */
export const SL_WARN_BAND = 10;
/** Abandonment rate: amber from this share, red from the next. */
export const ABANDON_WARN = 0.05;
export const ABANDON_BAD = 0.1;
/** Occupancy: amber under the first (idle capacity) or over the second (burn-out). */
export const OCCUPANCY_LOW = 0.6;
export const OCCUPANCY_HIGH = 0.9;

export const METRICS: Record<MetricId, MetricDefinition> = {
	offered: { id: 'offered', label: 'Offered', unit: 'count', formula: 'Calls that reached the queue while it was open (outbound calls are counted as placed, not offered).', threshold: 'No colour.' },
	answered: { id: 'answered', label: 'Answered', unit: 'count', formula: 'Offered calls an agent answered (once per call, whoever a transfer passed it to).', threshold: 'No colour.' },
	abandoned: { id: 'abandoned', label: 'Abandoned', unit: 'count', formula: 'Callers who hung up after S seconds or more without an answer (not those who left a message).', threshold: 'No colour.' },
	serviceLevel: {
		id: 'serviceLevel',
		label: 'Service level',
		unit: 'percent',
		formula: 'Calls answered within T seconds ÷ (calls offered − short abandons − callers still waiting who have waited T seconds or less). Short abandons: callers who hung up within S seconds. A caller still waiting counts only once they have waited past T (then as not answered in time). T and S are set per queue.',
		threshold: `Green at or above the queue's target; amber up to ${SL_WARN_BAND} points under it; red below.`
	},
	asa: { id: 'asa', label: 'Avg. speed of answer', unit: 'seconds', formula: 'Total wait of answered calls (arrival to an agent answering, ringing included) ÷ answered calls.', threshold: 'Green up to T; amber up to 2 × T; red above.' },
	abandonRate: {
		id: 'abandonRate',
		label: 'Abandonment',
		unit: 'percent',
		formula: 'Callers who hung up after S seconds or more without an answer ÷ the same calls as service level (offered − short abandons − callers still waiting within T). Callers who left a message to be called back are callbacks, not abandons; callers of a closed queue are in neither.',
		threshold: `Green under ${ABANDON_WARN * 100}%; amber under ${ABANDON_BAD * 100}%; red from ${ABANDON_BAD * 100}%.`
	},
	aht: { id: 'aht', label: 'Avg. handle time', unit: 'seconds', formula: '(Talk + hold + wrap-up seconds) ÷ handled calls. A call is handled once, when its conversation ends.', threshold: 'No colour.' },
	occupancy: {
		id: 'occupancy',
		label: 'Occupancy',
		unit: 'percent',
		formula:
			'Live: agents busy or in wrap-up ÷ agents signed in and not away (available, ringing, busy, wrap-up), at this moment. History: seconds busy or in wrap-up ÷ seconds signed in and not away, per interval and agent, split at interval boundaries; a status the server did not see change is counted at most 30 minutes. Agent time belongs to no queue, so a queue filter does not narrow it.',
		threshold: `Green from ${OCCUPANCY_LOW * 100}% to ${OCCUPANCY_HIGH * 100}%; amber outside.`
	},
	longestWait: { id: 'longestWait', label: 'Longest wait', unit: 'seconds', formula: 'Seconds since the longest-waiting caller still unanswered reached the queue.', threshold: "Green under half the queue's wait alert; amber under it; red at or above it (and an alert)." },
	queueDepth: { id: 'queueDepth', label: 'Waiting', unit: 'count', formula: 'Callers offered and not yet answered, abandoned or sent to voicemail.', threshold: 'Green when nobody waits; amber when callers wait; red when a caller waits past the alert.' },
	callsPerAgent: { id: 'callsPerAgent', label: 'Calls per agent', unit: 'count', formula: 'Handled calls ÷ agents who handled at least one.', threshold: 'No colour.' },
	transfers: { id: 'transfers', label: 'Transfers', unit: 'count', formula: 'Transfers made (each once, however often the carrier reports it).', threshold: 'No colour.' },
	shortAbandons: { id: 'shortAbandons', label: 'Short abandons', unit: 'count', formula: 'Callers who hung up within S seconds (misdials, changes of mind).', threshold: 'No colour.' },
	callbacks: { id: 'callbacks', label: 'Callbacks', unit: 'count', formula: 'Callers who left a message to be called back (also when the queue was closed).', threshold: 'No colour.' },
	offeredClosed: { id: 'offeredClosed', label: 'While closed', unit: 'count', formula: 'Callers who reached a queue outside its hours. Not offered to agents, so in neither service level nor abandonment; a message they leave is a callback, a hang-up is neither.', threshold: 'No colour.' },
	placed: { id: 'placed', label: 'Outbound placed', unit: 'count', formula: 'Outbound and campaign calls dialled, counted in the interval they were placed.', threshold: 'No colour.' },
	connected: { id: 'connected', label: 'Outbound connected', unit: 'count', formula: 'Placed calls the far end answered (no answer, busy, failed and cancelled are not).', threshold: 'No colour.' }
};

/** voice_queues' column defaults, for figures that belong to no one queue. */
export const DEFAULT_TARGETS: QueueTargets = { slTargetSeconds: 20, slTargetPercent: 80, shortAbandonSeconds: 5, waitAlertSeconds: 120 };

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/**
 * Calls that count toward service level and abandonment: offered less short abandons, less the
 * callers still waiting who have waited T seconds or less (they may yet be answered in time; a
 * caller waiting longer can no longer be, so counts as not answered in time).
 */
export const eligible = (s: IntervalSums, waitingWithinTarget = 0) => s.offered - s.shortAbandons - waitingWithinTarget;
export const serviceLevel = (s: IntervalSums, waitingWithinTarget = 0) => ratio(s.answeredInTarget, eligible(s, waitingWithinTarget));
export const averageSpeedOfAnswer = (s: IntervalSums) => ratio(s.waitAnsweredSeconds, s.answered);
export const abandonRate = (s: IntervalSums, waitingWithinTarget = 0) => ratio(s.abandoned, eligible(s, waitingWithinTarget));
export const averageHandleTime = (s: IntervalSums) => ratio(s.talkSeconds + s.holdSeconds + s.wrapupSeconds, s.handled);
export const callsPerAgent = (handled: number, agentsWhoHandled: number) => ratio(handled, agentsWhoHandled);
export const occupancy = (s: IntervalSums) => ratio(s.handlingSeconds, s.staffedSeconds);

/** Live occupancy from agents' states (the only moment the archive does not log staffed time for). */
export function occupancyNow(states: readonly string[]): number | null {
	const working = states.filter((s) => HANDLING_STATES.includes(s)).length;
	const staffed = states.filter((s) => STAFFED_STATES.includes(s)).length;
	return ratio(working, staffed);
}

export function toneOf(id: MetricId, value: number | null, targets: Pick<QueueTargets, 'slTargetSeconds' | 'slTargetPercent' | 'waitAlertSeconds'>): Tone {
	if (value === null) return 'none';
	switch (id) {
		case 'serviceLevel': {
			const pct = value * 100;
			return pct >= targets.slTargetPercent ? 'good' : pct >= targets.slTargetPercent - SL_WARN_BAND ? 'warn' : 'bad';
		}
		case 'asa':
			return value <= targets.slTargetSeconds ? 'good' : value <= 2 * targets.slTargetSeconds ? 'warn' : 'bad';
		case 'abandonRate':
			return value < ABANDON_WARN ? 'good' : value < ABANDON_BAD ? 'warn' : 'bad';
		case 'occupancy':
			return value >= OCCUPANCY_LOW && value <= OCCUPANCY_HIGH ? 'good' : 'warn';
		case 'longestWait':
			return value < targets.waitAlertSeconds / 2 ? 'good' : value < targets.waitAlertSeconds ? 'warn' : 'bad';
		default:
			return 'none';
	}
}

/** The figures a set of sums gives, as every screen and the CSV show them. */
export interface Figures {
	offered: number;
	answered: number;
	abandoned: number;
	shortAbandons: number;
	callbacks: number;
	transfers: number;
	handled: number;
	serviceLevel: number | null;
	asa: number | null;
	abandonRate: number | null;
	aht: number | null;
	occupancy: number | null;
	offeredClosed: number;
	placed: number;
	connected: number;
}

/** `waitingWithinTarget`: callers offered in these sums, still waiting, who have waited T seconds or less (live figures only). */
export function figuresOf(s: IntervalSums, waitingWithinTarget = 0): Figures {
	return {
		offered: s.offered,
		answered: s.answered,
		abandoned: s.abandoned,
		shortAbandons: s.shortAbandons,
		callbacks: s.callbacks,
		transfers: s.transfers,
		handled: s.handled,
		serviceLevel: serviceLevel(s, waitingWithinTarget),
		asa: averageSpeedOfAnswer(s),
		abandonRate: abandonRate(s, waitingWithinTarget),
		aht: averageHandleTime(s),
		occupancy: occupancy(s),
		offeredClosed: s.offeredClosed,
		placed: s.placed,
		connected: s.connected
	};
}

/** A figure as every screen and the CSV print it (the CSV carries exactly these strings). */
export function formatFigure(id: MetricId, value: number | null): string {
	if (value === null) return '';
	const def = METRICS[id];
	if (def.unit === 'percent') return `${(value * 100).toFixed(1)}%`;
	if (def.unit === 'seconds') return `${Math.round(value)}`;
	return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
