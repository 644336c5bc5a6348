ALTER TABLE "calls" ADD COLUMN "wrapped_up_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "recording_sid" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "recording_status" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "recording_job_id" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "recording_key" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "recording_seconds" integer;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "recording_channels" integer;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "activity_id" uuid;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_recording_status_check" CHECK ("calls"."recording_status" is null or "calls"."recording_status" in ('fetching', 'stored', 'failed'));