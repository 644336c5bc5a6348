CREATE TABLE "live_transcript_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_sid" text NOT NULL,
	"transcription_sid" text NOT NULL,
	"sequence_id" integer NOT NULL,
	"speaker" text NOT NULL,
	"text" text NOT NULL,
	"confidence" real,
	"spoken_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "live_transcript_lines_sequence_key" UNIQUE("transcription_sid","sequence_id")
);
--> statement-breakpoint
CREATE INDEX "live_transcript_lines_call_idx" ON "live_transcript_lines" USING btree ("call_sid","sequence_id");