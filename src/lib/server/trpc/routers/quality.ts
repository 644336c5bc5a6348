/**
 * Quality monitoring: scorecards (managers and supervisors grade; agents read, acknowledge and
 * comment on their own), blind calibration, the review queue and its settings, and the
 * versioned anchor descriptions (admins edit). Object rules live in src/lib/server/quality/.
 */
import { z } from 'zod';
import { SCORE_CATEGORIES } from '$lib/quality/categories';
import { anchorHistory, anchorVersion, currentAnchors, saveAnchors } from '../../quality/anchors';
import { getCalibration, listCalibrations, startCalibration } from '../../quality/calibration';
import { getQualitySettings, listReviewQueue, openForReview, saveQualitySettings } from '../../quality/review-queue';
import { acknowledgeScorecard, listReplies, replyToScorecard } from '../../quality/scorecard-replies';
import { getScorecard, listScorecards, myScorecardFor, saveScorecard } from '../../quality/scorecards';
import { getAiGrade } from '../../quality/ai-grade-view';
import { reviewBundle } from '../../quality/review-bundle';
import { agentProfile } from '../../quality/agent-profile';
import { agreementReport } from '../../quality/agreement';
import { assertMayReadSummary, generateSummary, latestSummary } from '../../quality/summaries/generate-summary';
import { requestGrading } from '../../quality/grading/grade-call';
import { adminProcedure, agentProcedure, managerProcedure, router } from '../init';

const ZId = (what: string) => z.uuid({ error: `${what} must be an id.` });
const ZScore = z.int({ error: 'Scores are whole numbers from 1 to 5.' }).nullable().optional();
const ZScores = z.object(Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, ZScore])) as Record<(typeof SCORE_CATEGORIES)[number], typeof ZScore>).strict();
const ZFeedback = z.object(Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, z.string().optional()])) as Record<(typeof SCORE_CATEGORIES)[number], z.ZodOptional<z.ZodString>>).strict();

export const ZSaveScorecard = z.object({
	callId: ZId('callId'),
	calibrationId: ZId('calibrationId').nullable().optional(),
	scores: ZScores,
	feedback: ZFeedback.default({}),
	coachingNotes: z.string().default(''),
	submit: z.boolean().default(false)
});
export type TSaveScorecard = z.input<typeof ZSaveScorecard>;

const ZAnchorList = z.array(z.string()).length(5, { error: 'Each category has five descriptions, one per score from 1 to 5.' });

const scorecardRouter = router({
	save: managerProcedure.input(ZSaveScorecard).mutation(({ ctx, input }) => saveScorecard(ctx.services.db, ctx.user, input)),
	mine: managerProcedure
		.input(z.object({ callId: ZId('callId'), calibrationId: ZId('calibrationId').nullable().default(null) }))
		.query(({ ctx, input }) => myScorecardFor(ctx.services.db, ctx.user, input.callId, input.calibrationId)),
	get: agentProcedure.input(z.object({ id: ZId('id') })).query(({ ctx, input }) => getScorecard(ctx.services.db, ctx.user, input.id)),
	list: agentProcedure
		.input(z.object({ agentId: z.string().min(1).optional(), callId: ZId('callId').optional(), limit: z.int().min(1).max(200).optional(), before: z.iso.datetime().optional() }))
		.query(({ ctx, input }) => listScorecards(ctx.services.db, ctx.user, { ...input, before: input.before ? new Date(input.before) : undefined })),
	acknowledge: agentProcedure.input(z.object({ id: ZId('id') })).mutation(({ ctx, input }) => acknowledgeScorecard(ctx.services.db, ctx.user, input.id)),
	reply: agentProcedure
		.input(z.object({ scorecardId: ZId('scorecardId'), kind: z.enum(['comment', 'dispute', 'answer']), body: z.string() }))
		.mutation(({ ctx, input }) => replyToScorecard(ctx.services.db, ctx.user, input)),
	replies: agentProcedure.input(z.object({ scorecardId: ZId('scorecardId') })).query(({ ctx, input }) => listReplies(ctx.services.db, ctx.user, input.scorecardId))
});

const calibrationRouter = router({
	start: managerProcedure.input(z.object({ callId: ZId('callId') })).mutation(({ ctx, input }) => startCalibration(ctx.services.db, ctx.user, input.callId)),
	get: managerProcedure.input(z.object({ id: ZId('id') })).query(({ ctx, input }) => getCalibration(ctx.services.db, ctx.user, input.id)),
	list: managerProcedure.input(z.object({ callId: ZId('callId') })).query(({ ctx, input }) => listCalibrations(ctx.services.db, ctx.user, input.callId))
});

const ZSubject = z.object({ scope: z.enum(['agent', 'queue']), subject: z.string().min(1, { error: 'Name the agent or queue.' }) });

const summaryRouter = router({
	latest: agentProcedure.input(ZSubject).query(({ ctx, input }) => latestSummary(ctx.services.db, ctx.user, input.scope, input.subject)),
	/** Computes the period's metrics and writes the checked text now (slow with Gemini: an explicit user action). */
	generate: agentProcedure.input(ZSubject.extend({ from: z.iso.datetime(), to: z.iso.datetime() })).mutation(({ ctx, input }) => {
		assertMayReadSummary(ctx.user, input.scope, input.subject);
		return generateSummary(
			{ db: ctx.services.db, languageAi: ctx.services.adapters.languageAi },
			{ scope: input.scope, subject: input.subject, period: { from: new Date(input.from), to: new Date(input.to) } }
		);
	})
});

export const qualityRouter = router({
	summary: summaryRouter,
	scorecard: scorecardRouter,
	calibration: calibrationRouter,
	anchors: agentProcedure
		.input(z.object({ version: z.int().min(1).optional() }))
		.query(({ ctx, input }) => (input.version ? anchorVersion(ctx.services.db, input.version) : currentAnchors(ctx.services.db))),
	anchorHistory: adminProcedure.query(({ ctx }) => anchorHistory(ctx.services.db)),
	saveAnchors: adminProcedure
		.input(z.object({ basedOn: z.int().min(1), anchors: z.object(Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, ZAnchorList]))) }))
		.mutation(({ ctx, input }) => saveAnchors(ctx.services.db, ctx.user.id, input)),
	queue: managerProcedure.input(z.object({ limit: z.int().min(1).max(500).optional() }).default({})).query(({ ctx, input }) => listReviewQueue(ctx.services.db, ctx.user, input)),
	openForReview: managerProcedure.input(z.object({ callId: ZId('callId') })).mutation(async ({ ctx, input }) => {
		await openForReview(ctx.services.db, ctx.user, input.callId);
		return { callId: input.callId };
	}),
	/** The review page's data: call, transcript, AI grade, the grader's card, reviews and calibration rounds. */
	review: managerProcedure
		.input(z.object({ callId: ZId('callId'), calibrationId: ZId('calibrationId').nullable().default(null) }))
		.query(({ ctx, input }) => reviewBundle(ctx.services.db, ctx.user, input.callId, input.calibrationId)),
	aiGrade: agentProcedure.input(z.object({ callId: ZId('callId') })).query(({ ctx, input }) => getAiGrade(ctx.services.db, ctx.user, input.callId)),
	/** Grade (again) now; the grade turns `pending` until the job has run. */
	requestAiGrade: managerProcedure.input(z.object({ callId: ZId('callId') })).mutation(async ({ ctx, input }) => {
		const { db, jobs } = ctx.services;
		await getAiGrade(db, ctx.user, input.callId);
		const jobId = await db.transaction((tx) => requestGrading(tx, jobs, input.callId));
		return { callId: input.callId, jobId };
	}),
	/** One agent's cards with the AI grades beside, averages per category, the weekly trend and their summary. */
	agentProfile: agentProcedure
		.input(z.object({ agentId: z.string().min(1), limit: z.int().min(1).max(200).optional() }))
		.query(({ ctx, input }) => agentProfile(ctx.services.db, ctx.user, input.agentId, { limit: input.limit })),
	agreement: managerProcedure
		.input(z.object({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional(), agentId: z.string().min(1).optional() }).default({}))
		.query(({ ctx, input }) =>
			agreementReport(ctx.services.db, ctx.user, { from: input.from ? new Date(input.from) : undefined, to: input.to ? new Date(input.to) : undefined, agentId: input.agentId })
		),
	settings: managerProcedure.query(({ ctx }) => getQualitySettings(ctx.services.db)),
	saveSettings: managerProcedure
		.input(z.object({ samplesPerAgentPerWeek: z.int(), aiLowThreshold: z.int() }))
		.mutation(({ ctx, input }) => saveQualitySettings(ctx.services.db, ctx.user, input))
});
