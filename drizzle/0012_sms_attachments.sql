CREATE TABLE "sms_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"source_url" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer,
	"storage_key" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"stored_at" timestamp (3) with time zone,
	CONSTRAINT "sms_attachments_status_check" CHECK ("sms_attachments"."status" in ('pending', 'stored', 'failed')),
	CONSTRAINT "sms_attachments_index_check" CHECK ("sms_attachments"."index" >= 0 and "sms_attachments"."index" < 10)
);
--> statement-breakpoint
ALTER TABLE "sms_attachments" ADD CONSTRAINT "sms_attachments_message_id_sms_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."sms_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sms_attachments_message_index_key" ON "sms_attachments" USING btree ("message_id","index");