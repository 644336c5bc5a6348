CREATE TABLE "admin_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" text,
	"actor_email" text NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
ALTER TABLE "voice_queues" ADD COLUMN "consent_notice" text DEFAULT 'This call may be recorded for quality and training.' NOT NULL;--> statement-breakpoint
ALTER TABLE "voice_queues" ADD COLUMN "voicemail_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "voice_queues" ADD COLUMN "voicemail_greeting" text DEFAULT 'Sorry, nobody can take your call right now. Please leave a message after the tone.' NOT NULL;--> statement-breakpoint
ALTER TABLE "admin_audit" ADD CONSTRAINT "admin_audit_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_audit_entity_at_idx" ON "admin_audit" USING btree ("entity","entity_id","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "admin_audit_at_idx" ON "admin_audit" USING btree ("at" DESC NULLS FIRST);