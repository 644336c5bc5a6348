-- Descending indexes match ORDER BY ... DESC (which sorts NULLs first): with NULLS LAST the planner could not use them and sorted whole tables (the SMS inbox read every thread).
DROP INDEX "consent_ledger_phone_latest_idx";--> statement-breakpoint
DROP INDEX "consent_ledger_occurred_idx";--> statement-breakpoint
DROP INDEX "consent_ledger_user_idx";--> statement-breakpoint
DROP INDEX "outbound_attempts_to_idx";--> statement-breakpoint
DROP INDEX "outbound_attempts_attempted_idx";--> statement-breakpoint
DROP INDEX "outbound_attempts_actor_idx";--> statement-breakpoint
DROP INDEX "calls_customer_received_idx";--> statement-breakpoint
DROP INDEX "calls_agent_received_idx";--> statement-breakpoint
DROP INDEX "calls_received_at_idx";--> statement-breakpoint
DROP INDEX "sms_messages_thread_idx";--> statement-breakpoint
DROP INDEX "sms_threads_inbox_idx";--> statement-breakpoint
DROP INDEX "sms_threads_assigned_inbox_idx";--> statement-breakpoint
CREATE INDEX "consent_ledger_phone_latest_idx" ON "consent_ledger" USING btree ("phone","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "consent_ledger_occurred_idx" ON "consent_ledger" USING btree ("occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "consent_ledger_user_idx" ON "consent_ledger" USING btree ("user_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "outbound_attempts_to_idx" ON "outbound_attempts" USING btree ("to_phone","attempted_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "outbound_attempts_attempted_idx" ON "outbound_attempts" USING btree ("attempted_at" DESC NULLS FIRST,"id");--> statement-breakpoint
CREATE INDEX "outbound_attempts_actor_idx" ON "outbound_attempts" USING btree ("actor_id","attempted_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_customer_received_idx" ON "calls" USING btree ("customer_id","received_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_agent_received_idx" ON "calls" USING btree ("agent_id","received_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_received_at_idx" ON "calls" USING btree ("received_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sms_messages_thread_idx" ON "sms_messages" USING btree ("thread_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sms_threads_inbox_idx" ON "sms_threads" USING btree ("last_message_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sms_threads_assigned_inbox_idx" ON "sms_threads" USING btree ("assigned_to","last_message_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);