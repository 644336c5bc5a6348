/**
 * Do-Not-Contact ledger procedures. Every staff member may read the audit trail (the ledger and
 * the gate's decisions, filtered and paged) and a number's current state (the composer, the
 * dialer and the customer record show it); managers and supervisors change the list: add and
 * remove numbers by hand with a reason, import a CSV file, and export the ledger as CSV (a bulk
 * copy of customers' numbers, so not for every agent).
 */
import { z } from 'zod';
import { listStaffUsers } from '../../auth/list-staff-users';
import { checkConsent } from '../../compliance/check-consent';
import { consentStates, type NumberConsent } from '../../compliance/consent-states';
import { importConsent, MAX_IMPORT_CHARS } from '../../compliance/import-consent';
import { exportConsentCsv } from '../../compliance/export-consent-csv';
import { listConsentEntries, listOutboundAttempts, MAX_PAGE } from '../../compliance/list-consent';
import { addToDoNotContact, removeFromDoNotContact } from '../../compliance/manage-consent';
import { normalizePhone } from '../../crm/normalize-phone';
import {
	ATTEMPT_DECISIONS,
	CONSENT_ACTIONS,
	CONSENT_CHANNELS,
	CONSENT_SOURCES,
	OUTBOUND_CHANNELS
} from '../../db/schema/compliance';
import { agentProcedure, managerProcedure, router } from '../init';

const ZDate = z.iso.datetime({ offset: true, error: 'Dates are ISO 8601 timestamps, e.g. 2026-11-24T00:00:00Z.' });
const toDate = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

const ZEntry = z.object({
	id: z.int(),
	phone: z.string(),
	channel: z.enum(CONSENT_CHANNELS),
	action: z.enum(CONSENT_ACTIONS),
	source: z.enum(CONSENT_SOURCES),
	keyword: z.string().nullable(),
	messageSid: z.string().nullable(),
	userId: z.string().nullable(),
	reason: z.string(),
	occurredAt: z.iso.datetime()
});
type EntryLike = { occurredAt: Date } & Omit<z.output<typeof ZEntry>, 'occurredAt'>;
const entryOut = <T extends EntryLike>(e: T) => ({ ...e, occurredAt: e.occurredAt.toISOString() });

// ---- add / remove ----
/** Loose on purpose: the domain's ZManualConsentInput refuses with a sentence (INVALID_CONSENT_ENTRY). */
export const ZManualEntryRequest = z.object({
	phone: z.string(),
	channel: z.enum(CONSENT_CHANNELS).optional(),
	reason: z.string()
});
export type TManualEntryRequest = z.input<typeof ZManualEntryRequest>;
export const ZManualEntryResponse = ZEntry;

// ---- status ----
export const ZStatusRequest = z.object({ phone: z.string().max(40), channel: z.enum(OUTBOUND_CHANNELS) });
export const ZStatusResponse = z.object({
	phone: z.string(),
	channel: z.enum(OUTBOUND_CHANNELS),
	state: z.enum(['opted_out', 'opted_in', 'none']),
	entry: ZEntry.nullable()
});

// ---- list ledger ----
const ZLedgerFilters = z.object({
	phone: z.string().max(40).optional(),
	channel: z.enum(CONSENT_CHANNELS).optional(),
	action: z.enum(CONSENT_ACTIONS).optional(),
	source: z.enum(CONSENT_SOURCES).optional(),
	userId: z.string().min(1).max(100).optional(),
	from: ZDate.optional(),
	to: ZDate.optional()
});
export const ZListEntriesRequest = ZLedgerFilters.extend({
	limit: z.int().min(1).max(MAX_PAGE).default(50),
	cursor: z.string().max(100).optional()
});
export type TListEntriesRequest = z.input<typeof ZListEntriesRequest>;
export const ZListEntriesResponse = z.object({
	items: z.array(ZEntry.extend({ userName: z.string().nullable() })),
	nextCursor: z.string().nullable()
});

// ---- list attempts (the gate's decisions) ----
export const ZListAttemptsRequest = z.object({
	phone: z.string().max(40).optional(),
	channel: z.enum(OUTBOUND_CHANNELS).optional(),
	decision: z.enum(ATTEMPT_DECISIONS).optional(),
	userId: z.string().min(1).max(100).optional(),
	from: ZDate.optional(),
	to: ZDate.optional(),
	limit: z.int().min(1).max(MAX_PAGE).default(50),
	cursor: z.string().max(100).optional()
});
export type TListAttemptsRequest = z.input<typeof ZListAttemptsRequest>;
export const ZListAttemptsResponse = z.object({
	items: z.array(
		z.object({
			id: z.string(),
			channel: z.enum(OUTBOUND_CHANNELS),
			toPhone: z.string(),
			fromPhone: z.string().nullable(),
			actorId: z.string().nullable(),
			actorName: z.string().nullable(),
			decision: z.enum(ATTEMPT_DECISIONS),
			code: z.string(),
			reason: z.string(),
			consentEntryId: z.int().nullable(),
			attemptedAt: z.iso.datetime()
		})
	),
	nextCursor: z.string().nullable()
});

// ---- many numbers' state (the customer record) ----
export const ZStatesRequest = z.object({ phones: z.array(z.string().max(40)).max(50) });
const ZChannelState = z.object({
	state: z.enum(['opted_out', 'opted_in', 'none']),
	entry: ZEntry.extend({ userName: z.string().nullable() }).nullable()
});
export const ZStatesResponse = z.array(z.object({ phone: z.string(), sms: ZChannelState, voice: ZChannelState }));

// ---- import ----
export const ZImportRequest = z.object({
	csv: z.string().max(MAX_IMPORT_CHARS + 1),
	fileName: z.string().max(200).optional(),
	channel: z.enum(CONSENT_CHANNELS).optional(),
	reason: z.string().max(1000),
	dryRun: z.boolean().default(false)
});
export const ZImportResponse = z.object({
	rows: z.int(),
	toAdd: z.int(),
	alreadyListed: z.int(),
	duplicates: z.int(),
	errorCount: z.int(),
	errors: z.array(z.object({ line: z.int(), value: z.string(), message: z.string() })),
	added: z.int(),
	dryRun: z.boolean()
});

// ---- staff, for the "who" filter ----
export const ZActorsResponse = z.array(z.object({ id: z.string(), name: z.string(), role: z.string() }));

// ---- export ----
export const ZExportRequest = ZLedgerFilters;
export const ZExportResponse = z.object({ filename: z.string(), csv: z.string() });

export const complianceRouter = router({
	add: managerProcedure
		.input(ZManualEntryRequest)
		.output(ZManualEntryResponse)
		.mutation(async ({ ctx, input }) => entryOut(await addToDoNotContact(ctx.services.db, ctx.user, input))),

	remove: managerProcedure
		.input(ZManualEntryRequest)
		.output(ZManualEntryResponse)
		.mutation(async ({ ctx, input }) => entryOut(await removeFromDoNotContact(ctx.services.db, ctx.user, input))),

	status: agentProcedure
		.input(ZStatusRequest)
		.output(ZStatusResponse)
		.query(async ({ ctx, input }) => {
			const state = await checkConsent(ctx.services.db, { phone: normalizePhone(input.phone).e164, channel: input.channel });
			return { ...state, entry: state.entry ? entryOut(state.entry) : null };
		}),

	states: agentProcedure
		.input(ZStatesRequest)
		.output(ZStatesResponse)
		.query(async ({ ctx, input }) => {
			const phones = input.phones.map((p) => normalizePhone(p).e164);
			const states = await consentStates(ctx.services.db, phones);
			const channel = (c: NumberConsent['channels']['sms']) => ({ state: c.state, entry: c.entry ? entryOut(c.entry) : null });
			return [...states.values()].map((s) => ({ phone: s.phone, sms: channel(s.channels.sms), voice: channel(s.channels.voice) }));
		}),

	import: managerProcedure
		.input(ZImportRequest)
		.output(ZImportResponse)
		.mutation(({ ctx, input }) => importConsent(ctx.services.db, ctx.user, input)),

	actors: agentProcedure
		.output(ZActorsResponse)
		.query(async ({ ctx }) => (await listStaffUsers(ctx.services.db)).map((u) => ({ id: u.id, name: u.name, role: u.role }))),

	list: agentProcedure
		.input(ZListEntriesRequest)
		.output(ZListEntriesResponse)
		.query(async ({ ctx, input }) => {
			const page = await listConsentEntries(ctx.services.db, { ...input, from: toDate(input.from), to: toDate(input.to) });
			return { items: page.items.map(entryOut), nextCursor: page.nextCursor };
		}),

	attempts: agentProcedure
		.input(ZListAttemptsRequest)
		.output(ZListAttemptsResponse)
		.query(async ({ ctx, input }) => {
			const page = await listOutboundAttempts(ctx.services.db, { ...input, from: toDate(input.from), to: toDate(input.to) });
			return { items: page.items.map((a) => ({ ...a, attemptedAt: a.attemptedAt.toISOString() })), nextCursor: page.nextCursor };
		}),

	exportCsv: managerProcedure
		.input(ZExportRequest)
		.output(ZExportResponse)
		.query(async ({ ctx, input }) => ({
			filename: `do-not-contact-${new Date().toISOString().slice(0, 10)}.csv`,
			csv: await exportConsentCsv(ctx.services.db, { ...input, from: toDate(input.from), to: toDate(input.to) })
		}))
});
