/**
 * Quality monitoring: managers' scorecards on calls (five categories, 1-5, against a versioned
 * set of anchor descriptions), the agent's acknowledgement and comments or disputes, blind
 * calibration rounds, the review queue, AI grades with verified evidence, and generated
 * performance summaries. Rules live in src/lib/server/quality/.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { calls } from './calls';

import type { AnchorSet, ScoreCategory } from '../../../quality/categories';

export { SCORE_CATEGORIES, type AnchorSet, type ScoreCategory } from '../../../quality/categories';

export const SCORECARD_STATUSES = ['draft', 'submitted'] as const;
export const COMMENT_KINDS = ['comment', 'dispute', 'answer'] as const;
export const REVIEW_REASONS = ['sampled', 'ai-low', 'ai-failed', 'opened'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
export const AI_GRADE_STATUSES = ['pending', 'graded', 'failed'] as const;
export const SUMMARY_SCOPES = ['agent', 'queue'] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const score = (name: string) => integer(name);
const scoreCheck = (table: string, column: string) => check(`${table}_${column}_check`, sql.raw(`"${column}" is null or "${column}" between 1 and 5`));

/** Every version of the anchor descriptions; the highest is current. Never updated, only added to. */
export const scorecardAnchorVersions = pgTable('scorecard_anchor_versions', {
	version: integer('version').primaryKey(),
	anchors: jsonb('anchors').$type<AnchorSet>().notNull(),
	createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
	createdAt: ts('created_at').notNull().defaultNow()
});

/** A blind calibration round: several managers score one call, then see the spread. */
export const calibrations = pgTable(
	'calibrations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [index('calibrations_call_idx').on(t.callId)]
);

export const scorecards = pgTable(
	'scorecards',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		/** The graded agent (the call's agent when the card was started). */
		agentId: text('agent_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		reviewerId: text('reviewer_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** Set for a calibration score: never shown to the agent, never counted as the call's review. */
		calibrationId: uuid('calibration_id').references(() => calibrations.id, { onDelete: 'cascade' }),
		/** The anchor descriptions the card was filled against. */
		anchorVersion: integer('anchor_version')
			.notNull()
			.references(() => scorecardAnchorVersions.version),
		status: text('status', { enum: SCORECARD_STATUSES }).notNull().default('draft'),
		greeting: score('score_greeting'),
		productKnowledge: score('score_product_knowledge'),
		problemResolution: score('score_problem_resolution'),
		professionalism: score('score_professionalism'),
		closing: score('score_closing'),
		/** Feedback per category (required at 1 or 2). */
		feedback: jsonb('feedback').$type<Partial<Record<ScoreCategory, string>>>().notNull().default({}),
		coachingNotes: text('coaching_notes').notNull().default(''),
		submittedAt: ts('submitted_at'),
		acknowledgedAt: ts('acknowledged_at'),
		/** 'open' while the agent's dispute waits for the manager's answer, then 'answered'. */
		disputeStatus: text('dispute_status'),
		createdAt: ts('created_at').notNull().defaultNow(),
		updatedAt: ts('updated_at')
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [
		check('scorecards_status_check', sql`${t.status} in (${inList(SCORECARD_STATUSES)})`),
		scoreCheck('scorecards', 'score_greeting'),
		scoreCheck('scorecards', 'score_product_knowledge'),
		scoreCheck('scorecards', 'score_problem_resolution'),
		scoreCheck('scorecards', 'score_professionalism'),
		scoreCheck('scorecards', 'score_closing'),
		check(
			'scorecards_submitted_complete_check',
			sql`${t.status} = 'draft' or (${t.submittedAt} is not null and ${t.greeting} is not null and ${t.productKnowledge} is not null and ${t.problemResolution} is not null and ${t.professionalism} is not null and ${t.closing} is not null)`
		),
		// One card per reviewer per call outside calibration, and one per reviewer per calibration round.
		unique('scorecards_call_reviewer_round_key').on(t.callId, t.reviewerId, t.calibrationId).nullsNotDistinct(),
		index('scorecards_agent_created_idx').on(t.agentId, t.createdAt.desc()),
		index('scorecards_call_idx').on(t.callId),
		index('scorecards_calibration_idx').on(t.calibrationId)
	]
);

export const scorecardComments = pgTable(
	'scorecard_comments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		scorecardId: uuid('scorecard_id')
			.notNull()
			.references(() => scorecards.id, { onDelete: 'cascade' }),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		kind: text('kind', { enum: COMMENT_KINDS }).notNull(),
		body: text('body').notNull(),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [check('scorecard_comments_kind_check', sql`${t.kind} in (${inList(COMMENT_KINDS)})`), index('scorecard_comments_card_idx').on(t.scorecardId, t.createdAt)]
);

/** Review-queue settings: one row (id 1). */
export const qualitySettings = pgTable('quality_settings', {
	id: integer('id').primaryKey().default(1),
	/** Answered calls sampled into the review queue per agent per week. */
	samplesPerAgentPerWeek: integer('samples_per_agent_per_week').notNull().default(2),
	/** An AI grade with any category at or below this goes to the review queue. */
	aiLowThreshold: integer('ai_low_threshold').notNull().default(2),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

/** Why a call is waiting for a manager's review; it leaves the queue once a review is submitted. */
export const reviewQueueItems = pgTable(
	'review_queue_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		reason: text('reason', { enum: REVIEW_REASONS }).notNull(),
		addedBy: text('added_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [
		check('review_queue_items_reason_check', sql`${t.reason} in (${inList(REVIEW_REASONS)})`),
		unique('review_queue_items_call_reason_key').on(t.callId, t.reason),
		index('review_queue_items_created_idx').on(t.createdAt.desc())
	]
);

/** One AI category score: verified evidence only; `verified` false means no quote survived the check. */
export interface AiCategoryGrade {
	score: number;
	justification: string;
	verified: boolean;
	evidence: { quote: string; second: number; speaker: string }[];
	/** Quotes the model gave that were not found in the transcript near their second. */
	dropped: number;
}

export const aiGrades = pgTable(
	'ai_grades',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' })
			.unique('ai_grades_call_key'),
		status: text('status', { enum: AI_GRADE_STATUSES }).notNull().default('pending'),
		adapter: text('adapter'),
		jobId: text('job_id'),
		error: text('error'),
		categories: jsonb('categories').$type<Partial<Record<ScoreCategory, AiCategoryGrade>>>(),
		requestedAt: ts('requested_at').notNull().defaultNow(),
		gradedAt: ts('graded_at')
	},
	(t) => [check('ai_grades_status_check', sql`${t.status} in (${inList(AI_GRADE_STATUSES)})`)]
);

export const performanceSummaries = pgTable(
	'performance_summaries',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		scope: text('scope', { enum: SUMMARY_SCOPES }).notNull(),
		/** The agent's user id, or the queue's name. */
		subject: text('subject').notNull(),
		periodStart: ts('period_start').notNull(),
		periodEnd: ts('period_end').notNull(),
		metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull(),
		/** The checked text; null when every attempt stated a number not in the metrics (refused). */
		text: text('text'),
		attempts: integer('attempts').notNull().default(1),
		refusedReason: text('refused_reason'),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [
		check('performance_summaries_scope_check', sql`${t.scope} in (${inList(SUMMARY_SCOPES)})`),
		index('performance_summaries_subject_idx').on(t.scope, t.subject, t.periodEnd.desc())
	]
);
