ALTER TABLE "outbound_attempts" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "rule_set" jsonb;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "ledger_state" jsonb;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "recipient_time_zone" text;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "recipient_local_time" text;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "opens_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "campaign_id" text;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "lead_id" text;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD COLUMN "call_sid" text;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD CONSTRAINT "outbound_attempts_source_check" CHECK ("outbound_attempts"."source" in ('manual', 'callback', 'campaign', 'reply'));