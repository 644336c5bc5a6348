CREATE TABLE "call_segments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"agent_id" text,
	"started_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_segments_order" CHECK ("call_segments"."ended_at" IS NULL OR "call_segments"."ended_at" >= "call_segments"."started_at")
);
--> statement-breakpoint
ALTER TABLE "call_segments" ADD CONSTRAINT "call_segments_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_segments" ADD CONSTRAINT "call_segments_agent_id_user_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_segments_call_idx" ON "call_segments" USING btree ("call_id","started_at");--> statement-breakpoint
CREATE INDEX "call_segments_agent_idx" ON "call_segments" USING btree ("agent_id","started_at");