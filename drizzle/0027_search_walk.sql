-- Search (search/search-archive.ts) walks the newest transcripts of a filter's index testing each with
-- @@: (queue, date) serves a queue filter as (agent, date) and (customer, date) already do.
CREATE INDEX "call_transcripts_queue_idx" ON "call_transcripts" USING btree ("queue","occurred_at" DESC NULLS FIRST);--> statement-breakpoint
-- Search reads a transcript's tsvector for every row it tests with @@ (the newest-first walk, a
-- phrase's recheck, ts_rank). Kept out of line in TOAST, each read cost a TOAST index lookup and
-- two or three pages; STORAGE MAIN keeps it in the row (the text and the lines, EXTENDED, leave
-- first), about 5x faster per row at 1M transcripts. Rows written before this keep their old
-- layout until the table is rewritten (VACUUM FULL call_transcripts).
ALTER TABLE "call_transcripts" ALTER COLUMN "search" SET STORAGE MAIN;
