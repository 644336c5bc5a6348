/**
 * The hot copy of active SMS threads: each thread's most recent messages, pushed live to every
 * inbox watching it. The archive (PostgreSQL) keeps every message; the server writes here after
 * the archive, keyed by the archive row's id, and older history loads from the archive.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx, QueryCtx } from './_generated/server';
import { agentQuery, systemMutation } from './lib/functions';
import { fail } from './lib/errors';
import { smsMessageFields } from './schema';
import { SMS_STATUS_RANK } from '../src/lib/sms/status';
import { SMS_THREAD_KEY } from '../src/lib/phone-rules';

/** Messages kept per thread; the inbox pages older ones from the archive. */
export const RECENT_PER_THREAD = 10;

const RANK: Record<Doc<'sms_messages'>['state'], number> = SMS_STATUS_RANK;

/** A message from the archive: the table's fields, minus the thread (given once) and with its archive id required. */
const { threadKey: _threadKey, archiveId: _archiveId, ...messageInputFields } = smsMessageFields;
const vMessageInput = v.object({ ...messageInputFields, archiveId: v.string() });

const vMessageView = v.object({ ...smsMessageFields, archiveId: v.string() });

function view(row: Doc<'sms_messages'>) {
	const { _id: _i, _creationTime: _c, ...rest } = row;
	return { ...rest, archiveId: rest.archiveId ?? '' };
}

function checkKey(threadKey: string): string {
	if (!SMS_THREAD_KEY.test(threadKey)) {
		fail('BAD_REQUEST', 'INVALID_THREAD_KEY', 'threadKey must be "customerNumber|ourNumber", both E.164.');
	}
	return threadKey;
}

async function threadRows(ctx: QueryCtx | MutationCtx, threadKey: string) {
	const rows = await ctx.db
		.query('sms_messages')
		.withIndex('by_threadKey', (q) => q.eq('threadKey', threadKey))
		.collect();
	return rows.sort((a, b) => a.sentAt - b.sentAt || (a.archiveId ?? '').localeCompare(b.archiveId ?? ''));
}

/**
 * Write (or update, by archive id) messages of one thread, then keep only its newest
 * RECENT_PER_THREAD. Used to hydrate a thread that became active and for each new message or
 * status change. A status never moves backwards here either (the archive decided it).
 */
export const upsertRecent = systemMutation({
	args: { threadKey: v.string(), messages: v.array(vMessageInput) },
	returns: v.number(),
	handler: async (ctx, { threadKey, messages }) => {
		checkKey(threadKey);
		if (messages.length > 50) fail('BAD_REQUEST', 'TOO_MANY_MESSAGES', 'Upsert at most 50 messages at a time.');
		for (const m of messages) {
			const existing = await ctx.db
				.query('sms_messages')
				.withIndex('by_archiveId', (q) => q.eq('archiveId', m.archiveId))
				.unique();
			if (existing) {
				// Out-of-order publishes: the later status wins only if it is further along.
				if (RANK[existing.state] > RANK[m.state])
					Object.assign(m, { state: existing.state, errorCode: existing.errorCode, errorMessage: existing.errorMessage });
				const changed = (Object.keys(m) as (keyof typeof m)[]).some((k) => existing[k] !== m[k]);
				if (changed) await ctx.db.patch('sms_messages', existing._id, { ...m, threadKey });
			} else {
				await ctx.db.insert('sms_messages', { ...m, threadKey });
			}
		}
		const rows = await threadRows(ctx, threadKey);
		const surplus = rows.slice(0, Math.max(0, rows.length - RECENT_PER_THREAD));
		for (const row of surplus) await ctx.db.delete('sms_messages', row._id);
		return rows.length - surplus.length;
	}
});

/** The thread's recent messages, oldest first. */
export const forThread = agentQuery({
	args: { threadKey: v.string() },
	returns: v.array(vMessageView),
	handler: async (ctx, { threadKey }) => (await threadRows(ctx, checkKey(threadKey))).map(view)
});
