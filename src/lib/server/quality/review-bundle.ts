/**
 * Everything the review page shows for one call, in one read: the call, its transcript lines,
 * the AI grade, the grader's own card (review or calibration round), the submitted review
 * cards, the calibration rounds, and the anchors (current, plus the version the card was
 * started against). Graders only: agents read their cards on the quality page.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { AnchorSet } from '$lib/quality/categories';
import { getCallDetail, type CallDetailView } from '../calls/call-details';
import type { Db } from '../db/client';
import { callTranscripts, type TranscriptLine } from '../db/schema/transcripts';
import { getAiGrade, type AiGradeView } from './ai-grade-view';
import { anchorVersion, currentAnchors } from './anchors';
import { getCalibration, listCalibrations, type CalibrationView } from './calibration';
import { assertGrader, listScorecards, myScorecardFor, type ScorecardView, type Viewer } from './scorecards';

export interface ReviewBundle {
	call: CallDetailView;
	transcript: { status: string; lines: TranscriptLine[] } | null;
	ai: AiGradeView;
	mine: ScorecardView | null;
	anchors: { version: number; anchors: AnchorSet };
	reviews: ScorecardView[];
	calibrations: { id: string; createdAt: Date }[];
	calibration: CalibrationView | null;
}

export async function reviewBundle(db: Db, viewer: Viewer, callId: string, calibrationId: string | null): Promise<ReviewBundle> {
	assertGrader(viewer);
	const call = await getCallDetail(db, callId);
	const [transcriptRow] = await db
		.select({ status: callTranscripts.status, segments: callTranscripts.segments })
		.from(callTranscripts)
		.where(and(eq(callTranscripts.callId, callId), eq(callTranscripts.kind, 'call')))
		.orderBy(desc(callTranscripts.createdAt))
		.limit(1);
	const [ai, mine, reviews, calibrations, calibration] = await Promise.all([
		getAiGrade(db, viewer, callId),
		myScorecardFor(db, viewer, callId, calibrationId),
		listScorecards(db, viewer, { callId }),
		listCalibrations(db, viewer, callId),
		calibrationId ? getCalibration(db, viewer, calibrationId) : Promise.resolve(null)
	]);
	const anchors = mine ? await anchorVersion(db, mine.anchorVersion) : await currentAnchors(db);
	return {
		call,
		transcript: transcriptRow ? { status: transcriptRow.status, lines: transcriptRow.status === 'done' ? transcriptRow.segments : [] } : null,
		ai,
		mine,
		anchors: { version: anchors.version, anchors: anchors.anchors },
		reviews,
		calibrations,
		calibration
	};
}
