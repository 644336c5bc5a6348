/** The scorecard form's state: scores, feedback and notes, saved as a draft or submitted through tRPC. */
import { FEEDBACK_REQUIRED_AT, SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import type { ScorecardView } from '$lib/server/quality/scorecards';
import { errorMessage, trpc } from '$lib/trpc';

export class ScorecardDraft {
	scores = $state<Partial<Record<ScoreCategory, number>>>({});
	feedback = $state<Partial<Record<ScoreCategory, string>>>({});
	coachingNotes = $state('');
	status = $state<'new' | 'draft' | 'submitted'>('new');
	saving = $state(false);
	error = $state<string | null>(null);
	message = $state<string | null>(null);

	constructor(
		readonly callId: string,
		readonly calibrationId: string | null,
		mine: ScorecardView | null
	) {
		if (!mine) return;
		this.scores = Object.fromEntries(Object.entries(mine.scores).filter(([, v]) => v != null));
		this.feedback = { ...mine.feedback };
		this.coachingNotes = mine.coachingNotes;
		this.status = mine.status;
	}

	needsFeedback(c: ScoreCategory): boolean {
		const s = this.scores[c];
		return s != null && s <= FEEDBACK_REQUIRED_AT;
	}

	get complete(): boolean {
		return SCORE_CATEGORIES.every((c) => this.scores[c] != null && (!this.needsFeedback(c) || (this.feedback[c] ?? '').trim()));
	}

	async save(submit: boolean): Promise<boolean> {
		this.saving = true;
		this.error = null;
		this.message = null;
		try {
			const card = await trpc.quality.scorecard.save.mutate({
				callId: this.callId,
				calibrationId: this.calibrationId,
				scores: this.scores,
				feedback: this.feedback,
				coachingNotes: this.coachingNotes,
				submit
			});
			this.status = card.status;
			this.message = submit ? 'Scorecard submitted.' : 'Draft saved.';
			return true;
		} catch (e) {
			this.error = errorMessage(e);
			return false;
		} finally {
			this.saving = false;
		}
	}
}
