CREATE TABLE "ai_grades" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"adapter" text,
	"job_id" text,
	"error" text,
	"categories" jsonb,
	"requested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"graded_at" timestamp (3) with time zone,
	CONSTRAINT "ai_grades_call_key" UNIQUE("call_id"),
	CONSTRAINT "ai_grades_status_check" CHECK ("ai_grades"."status" in ('pending', 'graded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "calibrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "performance_summaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"subject" text NOT NULL,
	"period_start" timestamp (3) with time zone NOT NULL,
	"period_end" timestamp (3) with time zone NOT NULL,
	"metrics" jsonb NOT NULL,
	"text" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"refused_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "performance_summaries_scope_check" CHECK ("performance_summaries"."scope" in ('agent', 'queue'))
);
--> statement-breakpoint
CREATE TABLE "quality_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"samples_per_agent_per_week" integer DEFAULT 2 NOT NULL,
	"ai_low_threshold" integer DEFAULT 2 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_queue_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"added_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_queue_items_call_reason_key" UNIQUE("call_id","reason"),
	CONSTRAINT "review_queue_items_reason_check" CHECK ("review_queue_items"."reason" in ('sampled', 'ai-low', 'ai-failed', 'opened'))
);
--> statement-breakpoint
CREATE TABLE "scorecard_anchor_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"anchors" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorecard_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scorecard_id" uuid NOT NULL,
	"author_id" text,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scorecard_comments_kind_check" CHECK ("scorecard_comments"."kind" in ('comment', 'dispute', 'answer'))
);
--> statement-breakpoint
CREATE TABLE "scorecards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"agent_id" text NOT NULL,
	"reviewer_id" text NOT NULL,
	"calibration_id" uuid,
	"anchor_version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"score_greeting" integer,
	"score_product_knowledge" integer,
	"score_problem_resolution" integer,
	"score_professionalism" integer,
	"score_closing" integer,
	"feedback" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"coaching_notes" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp (3) with time zone,
	"acknowledged_at" timestamp (3) with time zone,
	"dispute_status" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scorecards_call_reviewer_round_key" UNIQUE NULLS NOT DISTINCT("call_id","reviewer_id","calibration_id"),
	CONSTRAINT "scorecards_status_check" CHECK ("scorecards"."status" in ('draft', 'submitted')),
	CONSTRAINT "scorecards_score_greeting_check" CHECK ("score_greeting" is null or "score_greeting" between 1 and 5),
	CONSTRAINT "scorecards_score_product_knowledge_check" CHECK ("score_product_knowledge" is null or "score_product_knowledge" between 1 and 5),
	CONSTRAINT "scorecards_score_problem_resolution_check" CHECK ("score_problem_resolution" is null or "score_problem_resolution" between 1 and 5),
	CONSTRAINT "scorecards_score_professionalism_check" CHECK ("score_professionalism" is null or "score_professionalism" between 1 and 5),
	CONSTRAINT "scorecards_score_closing_check" CHECK ("score_closing" is null or "score_closing" between 1 and 5),
	CONSTRAINT "scorecards_submitted_complete_check" CHECK ("scorecards"."status" = 'draft' or ("scorecards"."submitted_at" is not null and "scorecards"."score_greeting" is not null and "scorecards"."score_product_knowledge" is not null and "scorecards"."score_problem_resolution" is not null and "scorecards"."score_professionalism" is not null and "scorecards"."score_closing" is not null))
);
--> statement-breakpoint
ALTER TABLE "ai_grades" ADD CONSTRAINT "ai_grades_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibrations" ADD CONSTRAINT "calibrations_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibrations" ADD CONSTRAINT "calibrations_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_queue_items" ADD CONSTRAINT "review_queue_items_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_queue_items" ADD CONSTRAINT "review_queue_items_added_by_user_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_anchor_versions" ADD CONSTRAINT "scorecard_anchor_versions_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_comments" ADD CONSTRAINT "scorecard_comments_scorecard_id_scorecards_id_fk" FOREIGN KEY ("scorecard_id") REFERENCES "public"."scorecards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_comments" ADD CONSTRAINT "scorecard_comments_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecards" ADD CONSTRAINT "scorecards_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecards" ADD CONSTRAINT "scorecards_agent_id_user_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecards" ADD CONSTRAINT "scorecards_reviewer_id_user_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecards" ADD CONSTRAINT "scorecards_calibration_id_calibrations_id_fk" FOREIGN KEY ("calibration_id") REFERENCES "public"."calibrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecards" ADD CONSTRAINT "scorecards_anchor_version_scorecard_anchor_versions_version_fk" FOREIGN KEY ("anchor_version") REFERENCES "public"."scorecard_anchor_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calibrations_call_idx" ON "calibrations" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "performance_summaries_subject_idx" ON "performance_summaries" USING btree ("scope","subject","period_end" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "review_queue_items_created_idx" ON "review_queue_items" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "scorecard_comments_card_idx" ON "scorecard_comments" USING btree ("scorecard_id","created_at");--> statement-breakpoint
CREATE INDEX "scorecards_agent_created_idx" ON "scorecards" USING btree ("agent_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "scorecards_call_idx" ON "scorecards" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "scorecards_calibration_idx" ON "scorecards" USING btree ("calibration_id");