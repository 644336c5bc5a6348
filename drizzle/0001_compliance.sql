CREATE TABLE "consent_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"channel" text NOT NULL,
	"action" text NOT NULL,
	"source" text NOT NULL,
	"keyword" text,
	"message_sid" text,
	"user_id" text,
	"reason" text DEFAULT '' NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consent_ledger_phone_check" CHECK ("consent_ledger"."phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "consent_ledger_channel_check" CHECK ("consent_ledger"."channel" in ('sms', 'voice', 'all')),
	CONSTRAINT "consent_ledger_action_check" CHECK ("consent_ledger"."action" in ('opt_out', 'opt_in')),
	CONSTRAINT "consent_ledger_source_check" CHECK ("consent_ledger"."source" in ('keyword', 'agent', 'import', 'api', 'carrier_error'))
);
--> statement-breakpoint
CREATE TABLE "outbound_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"to_phone" text NOT NULL,
	"from_phone" text,
	"actor_id" text,
	"decision" text NOT NULL,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"consent_entry_id" bigint,
	"attempted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_attempts_channel_check" CHECK ("outbound_attempts"."channel" in ('sms', 'voice')),
	CONSTRAINT "outbound_attempts_decision_check" CHECK ("outbound_attempts"."decision" in ('allowed', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "consent_ledger" ADD CONSTRAINT "consent_ledger_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD CONSTRAINT "outbound_attempts_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_attempts" ADD CONSTRAINT "outbound_attempts_consent_entry_id_consent_ledger_id_fk" FOREIGN KEY ("consent_entry_id") REFERENCES "public"."consent_ledger"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_ledger_phone_latest_idx" ON "consent_ledger" USING btree ("phone","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "consent_ledger_occurred_idx" ON "consent_ledger" USING btree ("occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbound_attempts_to_idx" ON "outbound_attempts" USING btree ("to_phone","attempted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbound_attempts_attempted_idx" ON "outbound_attempts" USING btree ("attempted_at" DESC NULLS LAST,"id");