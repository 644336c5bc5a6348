/**
 * The webhook delivery ledger: one row per carrier delivery, unique on its dedupe key, written
 * in the same transaction as the domain change it caused. A retried delivery finds its row and
 * changes nothing, across processes and restarts (an in-memory set would not survive either).
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const webhookDeliveries = pgTable(
	'webhook_deliveries',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** A key built from the delivery's own signed ids (see webhooks/delivery-ledger.ts). */
		dedupeKey: text('dedupe_key').notNull().unique('webhook_deliveries_dedupe_key_key'),
		/** Which webhook it was, e.g. `voice.incoming`, `voice.status`, `sms.incoming`. */
		kind: text('kind').notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
	},
	(t) => [index('webhook_deliveries_received_at_idx').on(t.receivedAt)]
);
