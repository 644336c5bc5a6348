/**
 * The anchor descriptions, versioned: admins save a whole new set, which becomes the current
 * version; a scorecard keeps the version it was started against, so old cards read as written.
 */
import { desc, eq } from 'drizzle-orm';
import { DEFAULT_ANCHORS, SCORE_CATEGORIES, type AnchorSet } from '$lib/quality/categories';
import type { Db, Tx } from '../db/client';
import { scorecardAnchorVersions } from '../db/schema/quality';
import { AppError, badRequest, notFound } from '../errors';

export interface AnchorVersion {
	version: number;
	anchors: AnchorSet;
	createdAt: Date;
}

/** The current anchors; version 1 (the defaults) is written on first use. */
export async function currentAnchors(db: Db | Tx): Promise<AnchorVersion> {
	const [row] = await db.select().from(scorecardAnchorVersions).orderBy(desc(scorecardAnchorVersions.version)).limit(1);
	if (row) return row;
	await db.insert(scorecardAnchorVersions).values({ version: 1, anchors: DEFAULT_ANCHORS }).onConflictDoNothing();
	return currentAnchors(db);
}

export async function anchorVersion(db: Db | Tx, version: number): Promise<AnchorVersion> {
	const [row] = await db.select().from(scorecardAnchorVersions).where(eq(scorecardAnchorVersions.version, version));
	if (!row) throw notFound('ANCHOR_VERSION_NOT_FOUND', `There is no anchor version ${version}.`);
	return row;
}

/** Checks a full set: every category, five non-empty descriptions of at most 300 characters. */
export function assertAnchorSet(anchors: Record<string, string[] | undefined>): asserts anchors is AnchorSet {
	for (const category of SCORE_CATEGORIES) {
		const list = anchors[category];
		if (!list || list.length !== 5) throw badRequest('ANCHORS_INCOMPLETE', `Give five descriptions (scores 1 to 5) for ${category}.`, { category });
		list.forEach((text, i) => {
			if (!text.trim()) throw badRequest('ANCHOR_EMPTY', `The description of score ${i + 1} for ${category} is empty.`, { category, score: i + 1 });
			if (text.length > 300) throw badRequest('ANCHOR_TOO_LONG', `The description of score ${i + 1} for ${category} is over 300 characters.`, { category, score: i + 1 });
		});
	}
}

/**
 * Saves `anchors` as the next version (expected: the version the admin edited, so two admins
 * editing at once do not silently overwrite each other).
 */
export async function saveAnchors(db: Db, adminId: string, input: { basedOn: number; anchors: Record<string, string[] | undefined> }): Promise<AnchorVersion> {
	assertAnchorSet(input.anchors);
	const anchors = Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, input.anchors[c]!.map((t) => t.trim())])) as AnchorSet;
	const current = await currentAnchors(db);
	if (current.version !== input.basedOn) {
		throw new AppError('CONFLICT', 'ANCHORS_CHANGED', `Someone saved version ${current.version} of the anchors after you opened version ${input.basedOn}; reload and edit again.`);
	}
	const [row] = await db
		.insert(scorecardAnchorVersions)
		.values({ version: current.version + 1, anchors, createdBy: adminId })
		.onConflictDoNothing()
		.returning();
	if (!row) throw new AppError('CONFLICT', 'ANCHORS_CHANGED', 'Someone saved the anchors at the same moment; reload and edit again.');
	return row;
}
