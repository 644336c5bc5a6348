CREATE TABLE "callback_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"queue" text NOT NULL,
	"reason" text NOT NULL,
	"customer_id" uuid,
	"caller_number" text NOT NULL,
	"wait_seconds" integer,
	"status" text DEFAULT 'open' NOT NULL,
	"claimed_by" text,
	"claimed_at" timestamp (3) with time zone,
	"completed_by" text,
	"completed_at" timestamp (3) with time zone,
	"outcome" text,
	"notes" text DEFAULT '' NOT NULL,
	"activity_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "callback_tasks_call_id_key" UNIQUE("call_id"),
	CONSTRAINT "callback_tasks_reason_check" CHECK ("callback_tasks"."reason" in ('abandoned', 'voicemail')),
	CONSTRAINT "callback_tasks_status_check" CHECK ("callback_tasks"."status" in ('open', 'claimed', 'done')),
	CONSTRAINT "callback_tasks_outcome_check" CHECK ("callback_tasks"."outcome" is null or "callback_tasks"."outcome" in ('reached', 'no-answer', 'left-message', 'wrong-number', 'not-needed'))
);
--> statement-breakpoint
ALTER TABLE "activities" DROP CONSTRAINT "activities_kind_check";--> statement-breakpoint
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_claimed_by_user_id_fk" FOREIGN KEY ("claimed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_completed_by_user_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callback_tasks_queue_status_idx" ON "callback_tasks" USING btree ("queue","status","created_at");--> statement-breakpoint
CREATE INDEX "callback_tasks_claimed_by_idx" ON "callback_tasks" USING btree ("claimed_by","status");--> statement-breakpoint
CREATE INDEX "callback_tasks_customer_idx" ON "callback_tasks" USING btree ("customer_id");--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_kind_check" CHECK ("activities"."kind" in ('call', 'sms', 'note', 'voicemail', 'system', 'callback'));