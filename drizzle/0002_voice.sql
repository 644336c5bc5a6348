CREATE TABLE "call_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"sequence_number" integer,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_sid" text NOT NULL,
	"direction" text NOT NULL,
	"from_raw" text DEFAULT '' NOT NULL,
	"to_raw" text DEFAULT '' NOT NULL,
	"from_e164" text,
	"to_e164" text,
	"customer_id" uuid,
	"queue" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"status_rank" integer DEFAULT 0 NOT NULL,
	"outcome" text,
	"agent_id" text,
	"agent_call_sid" text,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ringing_at" timestamp (3) with time zone,
	"queued_at" timestamp (3) with time zone,
	"answered_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	"voicemail_at" timestamp (3) with time zone,
	"rejected_at" timestamp (3) with time zone,
	"reject_reason" text,
	"wait_seconds" integer,
	"talk_seconds" integer,
	"wrapup_seconds" integer,
	"disposition" text,
	"notes" text DEFAULT '' NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calls_call_sid_key" UNIQUE("call_sid"),
	CONSTRAINT "calls_direction_check" CHECK ("calls"."direction" in ('inbound', 'outbound')),
	CONSTRAINT "calls_outcome_check" CHECK ("calls"."outcome" is null or "calls"."outcome" in ('answered', 'voicemail', 'abandoned', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "voice_queues" (
	"number" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"required_skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"max_wait_seconds" integer DEFAULT 300 NOT NULL,
	"ring_seconds" integer DEFAULT 20 NOT NULL,
	"opening_hours" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_dedupe_key_key" UNIQUE("dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "call_events" ADD CONSTRAINT "call_events_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_agent_id_user_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_events_call_at_idx" ON "call_events" USING btree ("call_id","at");--> statement-breakpoint
CREATE INDEX "calls_customer_received_idx" ON "calls" USING btree ("customer_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "calls_agent_received_idx" ON "calls" USING btree ("agent_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "calls_received_at_idx" ON "calls" USING btree ("received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries" USING btree ("received_at");