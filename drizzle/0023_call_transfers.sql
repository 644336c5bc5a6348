CREATE TABLE "call_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"call_id" uuid,
	"call_sid" text NOT NULL,
	"kind" text NOT NULL,
	"target_kind" text NOT NULL,
	"from_agent_id" text,
	"to_agent_id" text,
	"to_queue" text,
	"to_number" text,
	"note" text,
	"outcome" text,
	"reason" text,
	"started_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	CONSTRAINT "call_transfers_kind_check" CHECK ("call_transfers"."kind" in ('cold', 'warm')),
	CONSTRAINT "call_transfers_target_kind_check" CHECK ("call_transfers"."target_kind" in ('agent', 'queue', 'number')),
	CONSTRAINT "call_transfers_outcome_check" CHECK ("call_transfers"."outcome" is null or "call_transfers"."outcome" in ('completed', 'joined', 'cancelled', 'declined', 'timeout', 'target-left', 'queued', 'customer-hangup'))
);
--> statement-breakpoint
ALTER TABLE "call_transfers" ADD CONSTRAINT "call_transfers_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD CONSTRAINT "call_transfers_from_agent_id_user_id_fk" FOREIGN KEY ("from_agent_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_transfers" ADD CONSTRAINT "call_transfers_to_agent_id_user_id_fk" FOREIGN KEY ("to_agent_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_transfers_call_idx" ON "call_transfers" USING btree ("call_sid");--> statement-breakpoint
CREATE INDEX "call_transfers_from_agent_idx" ON "call_transfers" USING btree ("from_agent_id","started_at");--> statement-breakpoint
CREATE INDEX "call_transfers_to_agent_idx" ON "call_transfers" USING btree ("to_agent_id","started_at");