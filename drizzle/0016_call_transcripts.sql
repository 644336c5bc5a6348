CREATE TABLE "call_transcripts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"recording_sid" text NOT NULL,
	"kind" text NOT NULL,
	"customer_id" uuid,
	"agent_id" text,
	"queue" text,
	"direction" text NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"failure_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"job_id" text,
	"language" text,
	"engine" text,
	"model" text,
	"duration_seconds" real,
	"text" text DEFAULT '' NOT NULL,
	"segments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_transcripts_call_recording_key" UNIQUE("call_id","recording_sid"),
	CONSTRAINT "call_transcripts_status_check" CHECK ("call_transcripts"."status" in ('queued', 'transcribing', 'done', 'failed')),
	CONSTRAINT "call_transcripts_kind_check" CHECK ("call_transcripts"."kind" in ('call', 'voicemail')),
	CONSTRAINT "call_transcripts_direction_check" CHECK ("call_transcripts"."direction" in ('inbound', 'outbound'))
);
--> statement-breakpoint
ALTER TABLE "call_transcripts" ADD CONSTRAINT "call_transcripts_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_transcripts" ADD CONSTRAINT "call_transcripts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_transcripts" ADD CONSTRAINT "call_transcripts_agent_id_user_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_transcripts_customer_idx" ON "call_transcripts" USING btree ("customer_id","occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "call_transcripts_agent_idx" ON "call_transcripts" USING btree ("agent_id","occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "call_transcripts_occurred_idx" ON "call_transcripts" USING btree ("occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "call_transcripts_status_idx" ON "call_transcripts" USING btree ("status");