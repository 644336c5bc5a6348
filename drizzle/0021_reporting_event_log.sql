CREATE TABLE "call_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "call_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"call_id" uuid NOT NULL,
	"type" text NOT NULL,
	"direction" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"call_started_at" timestamp (3) with time zone NOT NULL,
	"queue" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"seconds" integer,
	"key" text DEFAULT '' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_log_type_check" CHECK ("call_log"."type" in ('offered', 'queued', 'ringing', 'answered', 'abandoned', 'short_abandon', 'voicemail', 'transferred', 'held', 'resumed', 'ended', 'wrapup_started', 'wrapup_ended', 'callback_requested', 'callback_completed', 'placed')),
	CONSTRAINT "call_log_direction_check" CHECK ("call_log"."direction" in ('inbound', 'outbound', 'campaign'))
);
--> statement-breakpoint
CREATE TABLE "report_intervals" (
	"bucket" timestamp (3) with time zone NOT NULL,
	"queue" text NOT NULL,
	"agent_id" text NOT NULL,
	"direction" text NOT NULL,
	"offered" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_in_target" integer DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"short_abandons" integer DEFAULT 0 NOT NULL,
	"callbacks" integer DEFAULT 0 NOT NULL,
	"transfers" integer DEFAULT 0 NOT NULL,
	"handled" integer DEFAULT 0 NOT NULL,
	"wait_answered_seconds" bigint DEFAULT 0 NOT NULL,
	"talk_seconds" bigint DEFAULT 0 NOT NULL,
	"hold_seconds" bigint DEFAULT 0 NOT NULL,
	"wrapup_seconds" bigint DEFAULT 0 NOT NULL,
	"wrapups" integer DEFAULT 0 NOT NULL,
	"placed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "report_intervals_pk" PRIMARY KEY("bucket","queue","agent_id","direction")
);
--> statement-breakpoint
ALTER TABLE "voice_queues" ADD COLUMN "sl_target_seconds" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "voice_queues" ADD COLUMN "sl_target_percent" integer DEFAULT 80 NOT NULL;--> statement-breakpoint
ALTER TABLE "voice_queues" ADD COLUMN "short_abandon_seconds" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "voice_queues" ADD COLUMN "wait_alert_seconds" integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "call_log" ADD CONSTRAINT "call_log_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_log_once_idx" ON "call_log" USING btree ("call_id","type","key");--> statement-breakpoint
CREATE INDEX "call_log_at_idx" ON "call_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "call_log_started_idx" ON "call_log" USING btree ("call_started_at");--> statement-breakpoint
CREATE INDEX "report_intervals_agent_idx" ON "report_intervals" USING btree ("agent_id","bucket");