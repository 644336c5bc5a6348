CREATE TABLE "sms_early_statuses" (
	"message_sid" text NOT NULL,
	"message_status" text NOT NULL,
	"error_code" text,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_early_statuses_message_sid_message_status_pk" PRIMARY KEY("message_sid","message_status")
);
--> statement-breakpoint
CREATE INDEX "sms_early_statuses_received_at_idx" ON "sms_early_statuses" USING btree ("received_at");