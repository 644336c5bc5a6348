ALTER TABLE "call_transfers" ADD COLUMN "handed_off_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "from_ready_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "from_wrapped_up_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "from_disposition" text;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "from_notes" text;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD COLUMN "from_wrapup_seconds" integer;