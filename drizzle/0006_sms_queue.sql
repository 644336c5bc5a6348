CREATE TABLE "sms_senders" (
	"phone" text PRIMARY KEY NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"next_send_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_senders_phone_check" CHECK ("sms_senders"."phone" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
ALTER TABLE "sms_messages" DROP CONSTRAINT "sms_messages_status_check";--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "queue_seq" bigint;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "dispatch_started_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "sms_messages_waiting_idx" ON "sms_messages" USING btree ("from_phone","queue_seq") WHERE "sms_messages"."status" = 'waiting';--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_status_check" CHECK ("sms_messages"."status" in ('waiting', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled', 'received'));