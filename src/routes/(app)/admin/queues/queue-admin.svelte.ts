/** The queues page's state: the list, the queue being edited (or created) as a draft, and the save outcome. */
import type { TVoiceQueue } from '$lib/server/trpc/routers/admin';
import { errorMessage, trpc } from '$lib/trpc';

export const WEEKDAYS = [
	{ key: '1', label: 'Monday' },
	{ key: '2', label: 'Tuesday' },
	{ key: '3', label: 'Wednesday' },
	{ key: '4', label: 'Thursday' },
	{ key: '5', label: 'Friday' },
	{ key: '6', label: 'Saturday' },
	{ key: '0', label: 'Sunday' }
] as const;
export type Weekday = (typeof WEEKDAYS)[number]['key'];
type Range = [string, string];

export interface QueueDraft {
	number: string;
	name: string;
	requiredSkills: string[];
	alwaysOpen: boolean;
	timezone: string;
	days: Record<Weekday, Range[]>;
	maxWaitSeconds: number;
	ringSeconds: number;
	wrapupSeconds: number;
	slTargetSeconds: number;
	slTargetPercent: number;
	shortAbandonSeconds: number;
	waitAlertSeconds: number;
	consentNotice: string;
	voicemailEnabled: boolean;
	voicemailGreeting: string;
}

const emptyDays = (): Record<Weekday, Range[]> => ({ '0': [], '1': [], '2': [], '3': [], '4': [], '5': [], '6': [] });

function draftOf(queue: TVoiceQueue | null): QueueDraft {
	const days = emptyDays();
	for (const { key } of WEEKDAYS) days[key] = (queue?.openingHours?.days[key] ?? []).map(([from, to]): Range => [from, to]);
	return {
		number: queue?.number ?? '',
		name: queue?.name ?? '',
		requiredSkills: [...(queue?.requiredSkills ?? [])],
		alwaysOpen: queue ? queue.openingHours === null : true,
		timezone: queue?.openingHours?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
		days,
		maxWaitSeconds: queue?.maxWaitSeconds ?? 300,
		ringSeconds: queue?.ringSeconds ?? 20,
		wrapupSeconds: queue?.wrapupSeconds ?? 60,
		slTargetSeconds: queue?.slTargetSeconds ?? 20,
		slTargetPercent: queue?.slTargetPercent ?? 80,
		shortAbandonSeconds: queue?.shortAbandonSeconds ?? 5,
		waitAlertSeconds: queue?.waitAlertSeconds ?? 120,
		consentNotice: queue?.consentNotice ?? 'This call may be recorded for quality and training.',
		voicemailEnabled: queue?.voicemailEnabled ?? true,
		voicemailGreeting: queue?.voicemailGreeting ?? 'Sorry, nobody can take your call right now. Please leave a message after the tone.'
	};
}

export class QueueAdmin {
	queues = $state<TVoiceQueue[]>([]);
	/** The number being edited; null while creating; undefined when the form is closed. */
	editing = $state<string | null | undefined>(undefined);
	draft = $state<QueueDraft>(draftOf(null));
	saving = $state(false);
	result = $state<{ ok: boolean; message: string } | null>(null);

	constructor(queues: TVoiceQueue[]) {
		this.queues = queues;
	}

	edit(queue: TVoiceQueue | null): void {
		this.editing = queue?.number ?? null;
		this.draft = draftOf(queue);
		this.result = null;
	}

	close(): void {
		this.editing = undefined;
	}

	async save(): Promise<void> {
		if (this.editing === undefined) return;
		const { alwaysOpen, timezone, days, ...rest } = this.draft;
		const openDays = Object.fromEntries(Object.entries(days).filter(([, ranges]) => ranges.length > 0));
		this.saving = true;
		this.result = null;
		try {
			const saved = await trpc.admin.saveQueue.mutate({
				originalNumber: this.editing,
				queue: { ...rest, openingHours: alwaysOpen ? null : { timezone, days: openDays } }
			});
			const others = this.queues.filter((q) => q.number !== this.editing && q.number !== saved.number);
			this.queues = [...others, saved].sort((a, b) => a.name.localeCompare(b.name) || a.number.localeCompare(b.number));
			this.editing = saved.number;
			this.draft = draftOf(saved);
			this.result = { ok: true, message: `Saved. Calls to ${saved.number} reach queue ${saved.name} from the next call on.` };
		} catch (error) {
			this.result = { ok: false, message: errorMessage(error) };
		} finally {
			this.saving = false;
		}
	}
}
