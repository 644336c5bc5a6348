ALTER TABLE "calls" ADD COLUMN "recording_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "recording_error" text;