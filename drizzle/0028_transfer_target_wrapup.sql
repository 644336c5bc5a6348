ALTER TABLE "call_transfers" ADD COLUMN "to_ended_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "to_ready_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "to_wrapped_up_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "to_disposition" text;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "to_notes" text;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "to_wrapup_seconds" integer;