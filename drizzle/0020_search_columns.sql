ALTER TABLE "sms_messages" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, body)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "call_transcripts" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "sms_messages_search_idx" ON "sms_messages" USING gin ("search");--> statement-breakpoint
CREATE INDEX "sms_messages_created_idx" ON "sms_messages" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "call_transcripts_search_idx" ON "call_transcripts" USING gin ("search");