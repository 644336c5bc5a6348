/**
 * The history table's columns and cells, shared by the page and the CSV export so the file
 * carries exactly the strings the screen shows.
 */
import { CATEGORY_LABELS, SCORE_CATEGORIES, type ScoreCategory } from '../quality/categories';
import { formatFigure, METRICS, type Figures, type MetricId } from './metrics';

export const TABLE_METRICS = ['offered', 'answered', 'abandoned', 'shortAbandons', 'callbacks', 'transfers', 'serviceLevel', 'asa', 'abandonRate', 'aht', 'occupancy', 'offeredClosed', 'placed', 'connected'] as const satisfies readonly (MetricId & keyof Figures)[];

const unit = (id: MetricId) => (METRICS[id].unit === 'seconds' ? ' (s)' : '');

export const INTERVAL_HEADERS = ['Interval', ...TABLE_METRICS.map((id) => `${METRICS[id].label}${unit(id)}`)];
/** Queue-level counts (offered, while closed) belong to no agent. */
const AGENT_METRICS = TABLE_METRICS.filter((id) => id !== 'offered' && id !== 'offeredClosed');

/** The agent table ends with the scorecards reviewed in the range and their average per category. */
export const AGENT_HEADERS = [
	'Agent',
	'Handled',
	...AGENT_METRICS.map((id) => `${METRICS[id].label}${unit(id)}`),
	'Scorecards',
	...SCORE_CATEGORIES.map((c) => `${CATEGORY_LABELS[c]} (avg)`)
];

export const figureCells = (f: Figures, metrics: readonly (MetricId & keyof Figures)[] = TABLE_METRICS): string[] => metrics.map((id) => formatFigure(id, f[id]));

export const intervalRow = (label: string, f: Figures): string[] => [label, ...figureCells(f)];
export interface ScoreAverages {
	cards: number;
	avg: Record<ScoreCategory, number | null>;
}

const avgCell = (v: number | null | undefined) => (v == null ? '—' : v.toFixed(2));

export const agentRow = (name: string, f: Figures, scores: ScoreAverages | null = null): string[] => [
	name,
	String(f.handled),
	...figureCells(f, AGENT_METRICS),
	String(scores?.cards ?? 0),
	...SCORE_CATEGORIES.map((c) => avgCell(scores?.avg[c]))
];
