CREATE TABLE "user_preferences" (
	"user_id" text PRIMARY KEY NOT NULL,
	"open_record_on" text DEFAULT 'never' NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_preferences_open_record_on_check" CHECK ("user_preferences"."open_record_on" in ('never', 'ring', 'answer'))
);
--> statement-breakpoint
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;