CREATE TABLE "campaign_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"agent_id" text,
	"phone" text NOT NULL,
	"result" text NOT NULL,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"recipient_local_time" text,
	"outbound_attempt_id" uuid,
	"call_sid" text,
	"disposition" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_attempts_result_check" CHECK ("campaign_attempts"."result" in ('dialled', 'refused', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "campaign_leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"time_zones" text[] NOT NULL,
	"position" integer NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_attempt_at" timestamp (3) with time zone,
	"next_attempt_at" timestamp (3) with time zone,
	"last_disposition" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_leads_state_check" CHECK ("campaign_leads"."state" in ('pending', 'dialling', 'done', 'dnc')),
	CONSTRAINT "campaign_leads_phone_check" CHECK ("campaign_leads"."phone" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"caller_id" text NOT NULL,
	"skill" text,
	"hours_start" integer DEFAULT 540 NOT NULL,
	"hours_end" integer DEFAULT 1200 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"recall_gap_minutes" integer DEFAULT 60 NOT NULL,
	"end_dispositions" text[] DEFAULT '{}'::text[] NOT NULL,
	"dnc_dispositions" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_status_check" CHECK ("campaigns"."status" in ('running', 'paused')),
	CONSTRAINT "campaigns_caller_id_check" CHECK ("campaigns"."caller_id" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "campaigns_hours_check" CHECK ("campaigns"."hours_start" >= 0 and "campaigns"."hours_end" <= 1440 and "campaigns"."hours_start" < "campaigns"."hours_end"),
	CONSTRAINT "campaigns_attempts_check" CHECK ("campaigns"."max_attempts" between 1 and 20),
	CONSTRAINT "campaigns_gap_check" CHECK ("campaigns"."recall_gap_minutes" between 0 and 43200)
);
--> statement-breakpoint
ALTER TABLE "campaign_attempts" ADD CONSTRAINT "campaign_attempts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_attempts" ADD CONSTRAINT "campaign_attempts_lead_id_campaign_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."campaign_leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_attempts" ADD CONSTRAINT "campaign_attempts_agent_id_user_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_leads" ADD CONSTRAINT "campaign_leads_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_leads" ADD CONSTRAINT "campaign_leads_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_attempts_lead_idx" ON "campaign_attempts" USING btree ("lead_id","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "campaign_attempts_campaign_idx" ON "campaign_attempts" USING btree ("campaign_id","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_leads_campaign_phone_key" ON "campaign_leads" USING btree ("campaign_id","phone");--> statement-breakpoint
CREATE INDEX "campaign_leads_next_idx" ON "campaign_leads" USING btree ("campaign_id","state","position");--> statement-breakpoint
CREATE INDEX "campaign_leads_customer_idx" ON "campaign_leads" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_name_key" ON "campaigns" USING btree (lower("name"));