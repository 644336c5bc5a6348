/**
 * SMS procedures for staff: the inbox, a thread's messages paged back in time, sending into a
 * thread (the server checks the thread lock in hot state and the consent ledger before
 * anything is written), read markers and canned responses (managers edit, agents use).
 */
import { z } from 'zod';
import {
	createCannedResponse,
	renderCannedForCustomer,
	listCannedResponses,
	setCannedResponseRetired,
	updateCannedResponse
} from '../../sms/canned-responses';
import { assignThread, INBOX_FILTERS, listInbox, listThreadMessages, markThreadRead, MAX_INBOX_PAGE } from '../../sms/inbox';
import { announceInboxChange } from '../../sms/inbox-events';
import { listMessageAttachments } from '../../sms/message-attachments';
import { hydrateThread } from '../../sms/publish-hot';
import { sendInThread } from '../../sms/send-in-thread';
import { startTextThread } from '../../outbound/start-text-thread';
import { SMS_COMPANY_NAME } from '../../sms/sms-webhooks';
import { suggestGrammar } from '../../sms/suggest-grammar';
import { SMS_ATTACHMENT_STATUSES, SMS_DIRECTIONS, SMS_STATUSES } from '../../db/schema/sms';
import { SMS_BODY_MAX } from '../../../sms/limits';
import { agentProcedure, managerProcedure, router } from '../init';

// ---- shapes ----
const ZThread = z.object({
	id: z.string(),
	threadKey: z.string(),
	customerPhone: z.string(),
	ourPhone: z.string(),
	customerId: z.string().nullable(),
	assignedTo: z.string().nullable(),
	lastMessageAt: z.iso.datetime(),
	lastMessagePreview: z.string(),
	lastDirection: z.enum(SMS_DIRECTIONS).nullable()
});
const ZMessage = z.object({
	id: z.string(),
	threadId: z.string(),
	messageSid: z.string().nullable(),
	direction: z.enum(SMS_DIRECTIONS),
	from: z.string(),
	to: z.string(),
	body: z.string(),
	status: z.enum(SMS_STATUSES),
	errorCode: z.int().nullable(),
	errorMessage: z.string().nullable(),
	mediaCount: z.int().min(0),
	authorId: z.string().nullable(),
	createdAt: z.iso.datetime(),
	statusUpdatedAt: z.iso.datetime()
});
const ZCanned = z.object({
	id: z.string(),
	title: z.string(),
	body: z.string(),
	retired: z.boolean(),
	createdBy: z.string().nullable(),
	updatedBy: z.string().nullable(),
	createdAt: z.iso.datetime(),
	updatedAt: z.iso.datetime()
});
const ZThreadId = z.object({ threadId: z.uuid({ error: 'threadId must be a conversation id.' }) });

// ---- inbox ----
export const ZInboxRequest = z.object({
	filter: z.enum(INBOX_FILTERS).default('all'),
	search: z.string().max(100, { error: 'Search for at most 100 characters.' }).default(''),
	limit: z.int().min(1).max(MAX_INBOX_PAGE).default(50),
	cursor: z.string().max(100).optional(),
	/** Re-read just these threads (the live inbox, after a change notice). */
	ids: z.array(z.uuid()).max(MAX_INBOX_PAGE).optional()
});
export type TInboxRequest = z.input<typeof ZInboxRequest>;
export const ZInboxResponse = z.object({
	items: z.array(ZThread.extend({ customerName: z.string().nullable(), assigneeName: z.string().nullable(), unread: z.int() })),
	nextCursor: z.string().nullable()
});

// ---- thread messages ----
export const ZThreadMessagesRequest = ZThreadId.extend({
	limit: z.int().min(1).max(MAX_INBOX_PAGE).default(30),
	cursor: z.string().max(100).optional()
});
export type TThreadMessagesRequest = z.input<typeof ZThreadMessagesRequest>;
export const ZThreadMessagesResponse = z.object({ thread: ZThread, items: z.array(ZMessage), nextCursor: z.string().nullable() });

// ---- MMS attachments ----
export const ZAttachmentsRequest = z.object({
	messageIds: z.array(z.uuid({ error: 'messageIds must be message ids.' })).min(1).max(MAX_INBOX_PAGE)
});
export const ZAttachment = z.object({
	id: z.string(),
	messageId: z.string(),
	index: z.int(),
	contentType: z.string(),
	sizeBytes: z.int().nullable(),
	status: z.enum(SMS_ATTACHMENT_STATUSES),
	error: z.string().nullable(),
	inline: z.boolean(),
	fileName: z.string(),
	url: z.string().nullable(),
	expiresAt: z.iso.datetime().nullable()
});

// ---- send ----
/** The body's limits are checked by the domain, which answers EMPTY_BODY / BODY_TOO_LONG with the count. */
export const ZSendRequest = ZThreadId.extend({ body: z.string().max(100_000) });
export type TSendRequest = z.input<typeof ZSendRequest>;
export const ZSendResponse = z.object({ thread: ZThread, message: ZMessage });
/** A first text from a record: the outbound gate decides (a refusal's details carry rule, recipientLocalTime, opensAt). */
export const ZStartThreadRequest = z.object({ to: z.string().max(64, 'A phone number is at most 64 characters.'), body: z.string().max(100_000) });
export type TStartThreadRequest = z.input<typeof ZStartThreadRequest>;

// ---- read markers, assignment, hydration ----
export const ZMarkReadResponse = z.object({ lastReadAt: z.iso.datetime() });
export const ZAssignRequest = ZThreadId.extend({ userId: z.string().min(1).nullable() });

// ---- canned responses ----
export const ZCannedInput = z.object({ title: z.string(), body: z.string() });
export const ZCannedUpdateRequest = ZCannedInput.extend({ id: z.uuid() });
export const ZCannedRetireRequest = z.object({ id: z.uuid(), retired: z.boolean().default(true) });
export const ZCannedRenderRequest = z.object({
	id: z.uuid(),
	customerId: z.uuid().nullable().optional()
});

// ---- grammar ----
/** At most one text; longer drafts are refused by send anyway. */
export const ZGrammarRequest = z.object({ text: z.string().max(SMS_BODY_MAX, { error: `Suggestions cover at most ${SMS_BODY_MAX} characters.` }) });
export const ZGrammarResponse = z.array(
	z.object({ start: z.int().min(0), end: z.int().min(0), message: z.string(), replacements: z.array(z.string()) })
);

export const smsRouter = router({
	inbox: agentProcedure
		.input(ZInboxRequest)
		.output(ZInboxResponse)
		.query(({ ctx, input }) => listInbox(ctx.services.db, ctx.user, input)),

	messages: agentProcedure
		.input(ZThreadMessagesRequest)
		.output(ZThreadMessagesResponse)
		.query(({ ctx, input }) => listThreadMessages(ctx.services.db, input)),

	/** MMS files of these messages, stored ones with short-lived signed URLs of our own storage. */
	attachments: agentProcedure
		.input(ZAttachmentsRequest)
		.output(z.array(ZAttachment))
		.query(({ ctx, input }) => listMessageAttachments({ db: ctx.services.db, storage: ctx.services.adapters.storage }, input.messageIds)),

	/** The thread became active in someone's view: copy its last messages into hot state. */
	open: agentProcedure
		.input(ZThreadId)
		.output(z.object({ hydrated: z.int() }))
		.mutation(async ({ ctx, input }) => ({ hydrated: await hydrateThread(ctx.services.db, ctx.services.hot, input.threadId) })),

	send: agentProcedure
		.input(ZSendRequest)
		.output(ZSendResponse)
		.mutation(({ ctx, input }) =>
			sendInThread(
				ctx.services.db,
				{ jobs: ctx.services.jobs, hot: ctx.services.hot, broadcast: ctx.services.adapters.broadcast },
				{ threadId: input.threadId, body: input.body, actor: ctx.user }
			)
		),

	startThread: agentProcedure
		.input(ZStartThreadRequest)
		.output(ZSendResponse)
		.mutation(({ ctx, input }) =>
			startTextThread(
				{ db: ctx.services.db, jobs: ctx.services.jobs, hot: ctx.services.hot, broadcast: ctx.services.adapters.broadcast, config: ctx.services.config },
				{ to: input.to, body: input.body, actor: ctx.user }
			)
		),

	markRead: agentProcedure
		.input(ZThreadId)
		.output(ZMarkReadResponse)
		.mutation(async ({ ctx, input }) => {
			const read = await markThreadRead(ctx.services.db, ctx.user, input);
			// The reader's other tabs clear the count too.
			void announceInboxChange(ctx.services.adapters.broadcast, { threadId: input.threadId, kind: 'read', forUser: ctx.user.id });
			return read;
		}),

	assign: agentProcedure
		.input(ZAssignRequest)
		.output(ZThread)
		.mutation(async ({ ctx, input }) => {
			const thread = await assignThread(ctx.services.db, ctx.user, input);
			void announceInboxChange(ctx.services.adapters.broadcast, { threadId: thread.id, kind: 'assigned' });
			return thread;
		}),

	/** Spelling and grammar suggestions for a draft (a POST, so customers' words stay out of URLs and logs). */
	grammar: agentProcedure
		.input(ZGrammarRequest)
		.output(ZGrammarResponse)
		.mutation(({ ctx, input }) => suggestGrammar(ctx.services.adapters.languageAi, input.text)),

	canned: router({
		list: agentProcedure
			.input(z.object({ includeRetired: z.boolean().default(false) }).default({ includeRetired: false }))
			.output(z.array(ZCanned))
			.query(({ ctx, input }) => listCannedResponses(ctx.services.db, input)),

		/** The response's text filled for this customer and the calling agent, for the composer. */
		render: agentProcedure
			.input(ZCannedRenderRequest)
			.output(z.object({ text: z.string() }))
			.query(async ({ ctx, input }) => ({
				text: await renderCannedForCustomer(ctx.services.db, { ...input, agentName: ctx.user.name, company: SMS_COMPANY_NAME })
			})),

		create: managerProcedure
			.input(ZCannedInput)
			.output(ZCanned)
			.mutation(({ ctx, input }) => createCannedResponse(ctx.services.db, ctx.user, input)),

		update: managerProcedure
			.input(ZCannedUpdateRequest)
			.output(ZCanned)
			.mutation(({ ctx, input }) => updateCannedResponse(ctx.services.db, ctx.user, input.id, input)),

		retire: managerProcedure
			.input(ZCannedRetireRequest)
			.output(ZCanned)
			.mutation(({ ctx, input }) => setCannedResponseRetired(ctx.services.db, ctx.user, input.id, input.retired))
	})
});
