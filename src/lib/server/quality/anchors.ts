/**
 * The anchor descriptions, versioned: admins save a whole new set, which becomes the current
 * version; a scorecard keeps the version it was started against, so old cards read as written.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { DEFAULT_ANCHORS, SCORE_CATEGORIES, type AnchorSet } from '$lib/quality/categories';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
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

/** Several versions at once, keyed by version: what a list of cards filled against different sets shows. */
export async function anchorVersions(db: Db | Tx, versions: number[]): Promise<Record<number, AnchorSet>> {
	const wanted = [...new Set(versions)];
	if (!wanted.length) return {};
	const rows = await db.select({ version: scorecardAnchorVersions.version, anchors: scorecardAnchorVersions.anchors }).from(scorecardAnchorVersions).where(inArray(scorecardAnchorVersions.version, wanted));
	return Object.fromEntries(rows.map((r) => [r.version, r.anchors]));
}

export interface AnchorHistoryEntry {
	version: number;
	createdAt: Date;
	createdByName: string | null;
}

/** Every saved version, newest first, with who saved it (the admin page's history). */
export async function anchorHistory(db: Db | Tx): Promise<AnchorHistoryEntry[]> {
	await currentAnchors(db);
	return db
		.select({ version: scorecardAnchorVersions.version, createdAt: scorecardAnchorVersions.createdAt, createdByName: user.name })
		.from(scorecardAnchorVersions)
		.leftJoin(user, eq(user.id, scorecardAnchorVersions.createdBy))
		.orderBy(desc(scorecardAnchorVersions.version));
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
