CREATE TABLE "agent_state_intervals" (
	"bucket" timestamp (3) with time zone NOT NULL,
	"agent_id" text NOT NULL,
	"staffed_seconds" bigint DEFAULT 0 NOT NULL,
	"handling_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "agent_state_intervals_pk" PRIMARY KEY("bucket","agent_id")
);
--> statement-breakpoint
CREATE TABLE "agent_state_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agent_state_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agent_id" text NOT NULL,
	"state" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_day_marks" (
	"zone" text NOT NULL,
	"day" date NOT NULL,
	"rolled_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_day_marks_pk" PRIMARY KEY("day","zone")
);
--> statement-breakpoint
CREATE TABLE "report_days" (
	"zone" text NOT NULL,
	"day" date NOT NULL,
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
	"offered_closed" integer DEFAULT 0 NOT NULL,
	"connected" integer DEFAULT 0 NOT NULL,
	"outbound_talk_seconds" bigint DEFAULT 0 NOT NULL,
	"staffed_seconds" bigint DEFAULT 0 NOT NULL,
	"handling_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_days_pk" PRIMARY KEY("zone","day","queue","agent_id","direction")
);
--> statement-breakpoint
ALTER TABLE "call_log" DROP CONSTRAINT "call_log_type_check";--> statement-breakpoint
ALTER TABLE "report_intervals" ADD COLUMN "offered_closed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_intervals" ADD COLUMN "connected" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_intervals" ADD COLUMN "outbound_talk_seconds" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_state_log_once_idx" ON "agent_state_log" USING btree ("agent_id","at");--> statement-breakpoint
ALTER TABLE "call_log" ADD CONSTRAINT "call_log_type_check" CHECK ("call_log"."type" in ('offered', 'queued', 'ringing', 'answered', 'abandoned', 'short_abandon', 'voicemail', 'transferred', 'held', 'resumed', 'ended', 'wrapup_started', 'wrapup_ended', 'callback_requested', 'callback_completed', 'placed', 'offered_closed', 'closed_hangup', 'connected', 'not_connected', 'conferenced'));