/** The anchors form's state: a copy of one version's descriptions, saved as the next version. */
import { SCORE_CATEGORIES, type AnchorSet, type ScoreCategory } from '$lib/quality/categories';
import { errorMessage, trpc } from '$lib/trpc';

export class AnchorEditor {
	anchors = $state<Record<ScoreCategory, string[]>>({} as Record<ScoreCategory, string[]>);
	basedOn = $state(0);
	saving = $state(false);
	result = $state<{ ok: boolean; message: string } | null>(null);

	constructor(version: number, anchors: AnchorSet) {
		this.reset(version, anchors);
	}

	reset(version: number, anchors: AnchorSet): void {
		this.basedOn = version;
		this.anchors = Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, [...anchors[c]]])) as Record<ScoreCategory, string[]>;
	}

	/** Saves a new version; true when saved (the page then reloads its data). */
	async save(): Promise<boolean> {
		this.saving = true;
		this.result = null;
		try {
			const saved = await trpc.quality.saveAnchors.mutate({ basedOn: this.basedOn, anchors: this.anchors });
			this.basedOn = saved.version;
			this.result = { ok: true, message: `Saved as version ${saved.version}. New scorecards use it; cards already started keep theirs.` };
			return true;
		} catch (e) {
			this.result = { ok: false, message: errorMessage(e) };
			return false;
		} finally {
			this.saving = false;
		}
	}
}
