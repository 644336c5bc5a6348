/**
 * SMS archive: one thread per (customer number, Switchboard number), every message ever sent or
 * received in it, each agent's read marker for unread counts, and the canned responses agents
 * insert. Bodies are stored verbatim (no trimming, no HTML escaping): the UI renders them as text.
 */
import { sql } from 'drizzle-orm';
import { E164_SQL_LITERAL } from '../../../phone-rules';
import { SMS_BODY_MAX } from '../../../sms/limits';
import {
	bigint,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid,
	varchar
} from 'drizzle-orm/pg-core';
import { user } from './auth';
import { outboundAttempts } from './compliance';
import { tsvector } from './tsvector';
import { customers } from './crm';

export const SMS_DIRECTIONS = ['inbound', 'outbound'] as const;
export type SmsDirection = (typeof SMS_DIRECTIONS)[number];

/**
 * `waiting`: recorded and waiting its turn for the sending number's throughput (sms/send-queued-sms.ts);
 * `canceled`: never handed to the carrier (the re-check before sending refused it). The rest are Twilio's.
 */
export const SMS_STATUSES = ['waiting', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled', 'received'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];


export interface SmsMedia {
	url: string;
	contentType: string;
}

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const E164 = (column: unknown) => sql`${column} ~ ${sql.raw(E164_SQL_LITERAL)}`;

export const smsThreads = pgTable(
	'sms_threads',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The customer's number, E.164. */
		customerPhone: text('customer_phone').notNull(),
		/** Our number the customer texts with, E.164. */
		ourPhone: text('our_phone').notNull(),
		customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
		/** The agent the thread is assigned to (the inbox's "mine"); null is unassigned. */
		assignedTo: text('assigned_to').references(() => user.id, { onDelete: 'set null' }),
		lastMessageAt: at('last_message_at').notNull().defaultNow(),
		/** The first characters of the latest message, for the inbox list. */
		lastMessagePreview: text('last_message_preview').notNull().default(''),
		lastDirection: text('last_direction', { enum: SMS_DIRECTIONS }),
		createdAt: at('created_at').notNull().defaultNow()
	},
	(t) => [
		check('sms_threads_customer_phone_check', E164(t.customerPhone)),
		check('sms_threads_our_phone_check', E164(t.ourPhone)),
		uniqueIndex('sms_threads_pair_key').on(t.customerPhone, t.ourPhone),
		// Inbox order: latest first; id breaks ties for stable keyset paging.
		index('sms_threads_inbox_idx').on(t.lastMessageAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		index('sms_threads_assigned_inbox_idx').on(t.assignedTo, t.lastMessageAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		index('sms_threads_customer_idx').on(t.customerId)
	]
);

export const smsMessages = pgTable(
	'sms_messages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		threadId: uuid('thread_id')
			.notNull()
			.references(() => smsThreads.id, { onDelete: 'cascade' }),
		/** Twilio's SM.../MM... sid; null only between recording an outbound send and the carrier accepting it. */
		messageSid: text('message_sid'),
		direction: text('direction', { enum: SMS_DIRECTIONS }).notNull(),
		fromPhone: text('from_phone').notNull(),
		toPhone: text('to_phone').notNull(),
		body: varchar('body', { length: SMS_BODY_MAX }).notNull(),
		status: text('status', { enum: SMS_STATUSES }).notNull(),
		errorCode: integer('error_code'),
		/** A sentence a person understands (from the error code), not the carrier's raw text. */
		errorMessage: text('error_message'),
		media: jsonb('media').$type<SmsMedia[]>().notNull().default([]),
		numSegments: integer('num_segments').notNull().default(1),
		/** The agent who sent it (outbound). */
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		/** The compliance gate's decision this send rested on. */
		attemptId: uuid('attempt_id').references(() => outboundAttempts.id, { onDelete: 'set null' }),
		createdAt: at('created_at').notNull().defaultNow(),
		statusUpdatedAt: at('status_updated_at').notNull().defaultNow(),
		sentAt: at('sent_at'),
		deliveredAt: at('delivered_at'),
		/** Outbound: the send's place in its sending number's queue (sms_senders.last_seq when recorded). */
		queueSeq: bigint('queue_seq', { mode: 'number' }),
		/** Outbound: when the dispatcher began handing it to the carrier; set while `waiting` means in flight. */
		dispatchStartedAt: at('dispatch_started_at'),
		/** The body's search terms (search/), kept by the database. */
		search: tsvector('search')
			.notNull()
			.generatedAlwaysAs(sql`to_tsvector('english'::regconfig, body)`)
	},
	(t) => [
		check('sms_messages_direction_check', sql`${t.direction} in (${inList(SMS_DIRECTIONS)})`),
		check('sms_messages_status_check', sql`${t.status} in (${inList(SMS_STATUSES)})`),
		uniqueIndex('sms_messages_sid_key').on(t.messageSid),
		index('sms_messages_search_idx').using('gin', t.search),
		// Search's date range and "newest matches first" walk.
		index('sms_messages_created_idx').on(t.createdAt.desc().nullsFirst()),
		index('sms_messages_thread_idx').on(t.threadId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		// The dispatcher's "next text for this number": the head of its waiting queue.
		index('sms_messages_waiting_idx')
			.on(t.fromPhone, t.queueSeq)
			.where(sql`${t.status} = 'waiting'`)
	]
);

/**
 * One row per Switchboard number that has sent a text: its queue counter (the order texts go out
 * in) and when it may next hand a segment to the carrier (its throughput, see sms/sender-rate.ts).
 * Only the number's one dispatcher (a key_strict_fifo job per number) moves `next_send_at`.
 */
export const smsSenders = pgTable(
	'sms_senders',
	{
		phone: text('phone').primaryKey(),
		lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
		nextSendAt: at('next_send_at').notNull().defaultNow()
	},
	(t) => [check('sms_senders_phone_check', E164(t.phone))]
);

export const SMS_ATTACHMENT_STATUSES = ['pending', 'stored', 'failed'] as const;
export type SmsAttachmentStatus = (typeof SMS_ATTACHMENT_STATUSES)[number];

/**
 * One row per MMS media file of an inbound message, written `pending` in the webhook's
 * transaction; the `fetch-mms-media` job (sms/fetch-mms-media.ts) fetches it from the carrier's
 * media host into the Storage port (`stored`, with its key and size) or says why not (`failed`).
 * `source_url` is the carrier's MediaUrl: read by the job only, never sent to a browser.
 */
export const smsAttachments = pgTable(
	'sms_attachments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		messageId: uuid('message_id')
			.notNull()
			.references(() => smsMessages.id, { onDelete: 'cascade' }),
		/** N of MediaUrl{N}, 0 to 9. */
		index: integer('index').notNull(),
		sourceUrl: text('source_url').notNull(),
		/** What the carrier declared (MediaContentType{N}), then what its media host served. */
		contentType: text('content_type').notNull(),
		sizeBytes: integer('size_bytes'),
		storageKey: text('storage_key'),
		status: text('status', { enum: SMS_ATTACHMENT_STATUSES }).notNull().default('pending'),
		/** Why the file could not be stored (failed), or the last attempt's failure while retrying. */
		error: text('error'),
		attempts: integer('attempts').notNull().default(0),
		createdAt: at('created_at').notNull().defaultNow(),
		storedAt: at('stored_at')
	},
	(t) => [
		check('sms_attachments_status_check', sql`${t.status} in (${inList(SMS_ATTACHMENT_STATUSES)})`),
		check('sms_attachments_index_check', sql`${t.index} >= 0 and ${t.index} < 10`),
		uniqueIndex('sms_attachments_message_index_key').on(t.messageId, t.index)
	]
);

/** Up to when each agent has read a thread; inbound messages after it are unread for them. */
export const smsReadMarkers = pgTable(
	'sms_read_markers',
	{
		threadId: uuid('thread_id')
			.notNull()
			.references(() => smsThreads.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		lastReadAt: at('last_read_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.threadId, t.userId] })]
);

export const CANNED_LIMITS = { title: 100, body: SMS_BODY_MAX } as const;

export const cannedResponses = pgTable(
	'canned_responses',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		title: varchar('title', { length: CANNED_LIMITS.title }).notNull(),
		/** Text with {{customer.firstName}}, {{agent.name}}, {{company}} placeholders. */
		body: varchar('body', { length: CANNED_LIMITS.body }).notNull(),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
		/** Retired responses stay for history but leave the agents' picker. */
		retiredAt: at('retired_at'),
		createdAt: at('created_at').notNull().defaultNow(),
		updatedAt: at('updated_at')
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [
		index('canned_responses_active_idx')
			.on(t.title)
			.where(sql`${t.retiredAt} is null`)
	]
);

/**
 * Status callbacks that arrived before their message's sid was written back (the carrier can
 * call back before its REST answer reaches us). Kept here and applied, by the status rank
 * rules, when the sid is recorded (sms/apply-early-statuses.ts); one row per (sid, status).
 */
export const smsEarlyStatuses = pgTable(
	'sms_early_statuses',
	{
		messageSid: text('message_sid').notNull(),
		messageStatus: text('message_status').notNull(),
		errorCode: text('error_code'),
		receivedAt: at('received_at').notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.messageSid, t.messageStatus] }), index('sms_early_statuses_received_at_idx').on(t.receivedAt)]
);
