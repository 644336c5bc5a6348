/**
 * CRM procedures for any signed-in staff member: phone lookup (screen pop), search, the
 * customer record with its timeline, create and edit. Each one validates, calls one domain
 * function with ctx.services.db, and returns its plain result.
 */
import { TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { createCustomer } from '../../crm/create-customer';
import { ZCreateCustomerInput, ZCustomerId, ZUpdateCustomerInput } from '../../crm/customer-input';
import { getCustomer } from '../../crm/get-customer';
import { listTimeline } from '../../crm/list-timeline';
import { redactCallsFor } from '../../calls/call-access';
import { lookupCustomerByPhone } from '../../crm/lookup-customer-by-phone';
import { MAX_SEARCH_OFFSET, MAX_SEARCH_PAGE_SIZE, MAX_SEARCH_QUERY_LENGTH, searchCustomers } from '../../crm/search-customers';
import { updateCustomer } from '../../crm/update-customer';
import { describeFirstIssue } from '../../http/bad-request';
import { ACTIVITY_KINDS, CUSTOMER_KINDS, CUSTOMER_SOURCES, LEAD_STATUSES, PHONE_LABELS } from '../../db/schema/crm';
import { agentProcedure, router } from '../init';
import { ZCallbackTask } from './callbacks';
import { ZCallDetail } from './calls';

/**
 * zod reports input problems as a JSON dump; give the caller the first problem as a sentence
 * (fieldErrors in the error data still list them all).
 */
const crmProcedure = agentProcedure.use(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.code === 'BAD_REQUEST' && result.error.cause instanceof ZodError) {
		throw new TRPCError({ code: 'BAD_REQUEST', message: describeFirstIssue(result.error.cause.issues), cause: result.error.cause });
	}
	return result;
});

// ---- output shapes (the domain's plain objects; timestamps are ISO strings) ----
const ZPhone = z.object({
	id: z.string(),
	e164: z.string(),
	extension: z.string().nullable(),
	label: z.enum(PHONE_LABELS),
	isPrimary: z.boolean(),
	display: z.string()
});
const ZCustomerSummary = z.object({
	id: z.string(),
	kind: z.enum(CUSTOMER_KINDS),
	status: z.enum(LEAD_STATUSES).nullable(),
	source: z.enum(CUSTOMER_SOURCES),
	firstName: z.string(),
	lastName: z.string(),
	company: z.string(),
	email: z.string().nullable(),
	displayName: z.string(),
	ownerId: z.string().nullable(),
	createdAt: z.iso.datetime(),
	updatedAt: z.iso.datetime()
});
const ZActivity = z.object({
	id: z.string(),
	customerId: z.string(),
	kind: z.enum(ACTIVITY_KINDS),
	occurredAt: z.iso.datetime(),
	actorId: z.string().nullable(),
	summary: z.string(),
	data: z.record(z.string(), z.unknown()),
	call: ZCallDetail.nullable(),
	callback: ZCallbackTask.nullable()
});
const ZTimelinePage = z.object({ items: z.array(ZActivity), nextCursor: z.string().nullable() });
const ZCustomerRecord = ZCustomerSummary.extend({
	notes: z.string(),
	ownerName: z.string().nullable(),
	phones: z.array(ZPhone),
	timeline: ZTimelinePage
});

// ---- lookupByPhone ----
export const ZLookupByPhoneRequest = z.object({
	phone: z.string().max(40, { error: 'Phone number is too long (at most 40 characters).' })
});
export type TLookupByPhoneRequest = z.input<typeof ZLookupByPhoneRequest>;
export const ZLookupByPhoneResponse = z.object({ customer: ZCustomerSummary, phone: ZPhone, matchCount: z.int() }).nullable();
export type TLookupByPhoneResponse = z.output<typeof ZLookupByPhoneResponse>;

// ---- search ----
export const ZSearchCustomersRequest = z.object({
	query: z
		.string()
		.max(MAX_SEARCH_QUERY_LENGTH, { error: `Search for at most ${MAX_SEARCH_QUERY_LENGTH} characters.` })
		.default(''),
	kind: z.enum(CUSTOMER_KINDS).optional(),
	limit: z.int().min(1).max(MAX_SEARCH_PAGE_SIZE).default(25),
	offset: z.int().min(0).max(MAX_SEARCH_OFFSET, { error: 'Narrow the search; paging stops after 10,000 results.' }).default(0)
});
export type TSearchCustomersRequest = z.input<typeof ZSearchCustomersRequest>;
export const ZSearchCustomersResponse = z.object({
	items: z.array(ZCustomerSummary.extend({ primaryPhone: ZPhone.nullable(), matchedPhone: ZPhone.nullable() })),
	nextOffset: z.int().nullable(),
	mode: z.enum(['recent', 'name', 'phone'])
});
export type TSearchCustomersResponse = z.output<typeof ZSearchCustomersResponse>;

// ---- get ----
export const ZGetCustomerRequest = z.object({ id: ZCustomerId, timelineLimit: z.int().min(1).max(200).optional() });
export type TGetCustomerRequest = z.input<typeof ZGetCustomerRequest>;
export const ZGetCustomerResponse = ZCustomerRecord;
export type TGetCustomerResponse = z.output<typeof ZGetCustomerResponse>;

// ---- timeline (older pages) ----
export const ZListTimelineRequest = z.object({
	customerId: ZCustomerId,
	before: z.string().max(200).nullable().optional(),
	limit: z.int().min(1).max(200).optional()
});
export type TListTimelineRequest = z.input<typeof ZListTimelineRequest>;
export const ZListTimelineResponse = ZTimelinePage;
export type TListTimelineResponse = z.output<typeof ZListTimelineResponse>;

// ---- create / update ----
/** Records made through the API are always `manual`; other sources belong to the server. */
export const ZCreateCustomerRequest = ZCreateCustomerInput.omit({ source: true });
export type TCreateCustomerRequest = z.input<typeof ZCreateCustomerRequest>;
export const ZCreateCustomerResponse = ZCustomerRecord;
export type TCreateCustomerResponse = z.output<typeof ZCreateCustomerResponse>;

export const ZUpdateCustomerRequest = ZUpdateCustomerInput;
export type TUpdateCustomerRequest = z.input<typeof ZUpdateCustomerRequest>;
export const ZUpdateCustomerResponse = ZCustomerRecord;
export type TUpdateCustomerResponse = z.output<typeof ZUpdateCustomerResponse>;

export const crmRouter = router({
	lookupByPhone: crmProcedure
		.input(ZLookupByPhoneRequest)
		.output(ZLookupByPhoneResponse)
		.query(({ ctx, input }) => lookupCustomerByPhone(ctx.services.db, input)),

	search: crmProcedure
		.input(ZSearchCustomersRequest)
		.output(ZSearchCustomersResponse)
		.query(({ ctx, input }) => searchCustomers(ctx.services.db, input)),

	get: crmProcedure
		.input(ZGetCustomerRequest)
		.output(ZGetCustomerResponse)
		.query(async ({ ctx, input }) => {
			const record = await getCustomer(ctx.services.db, input);
			const items = await redactCallsFor(ctx.services.db, ctx.user, record.timeline.items);
			return { ...record, timeline: { ...record.timeline, items } };
		}),

	timeline: crmProcedure
		.input(ZListTimelineRequest)
		.output(ZListTimelineResponse)
		.query(async ({ ctx, input }) => {
			const page = await listTimeline(ctx.services.db, input);
			return { ...page, items: await redactCallsFor(ctx.services.db, ctx.user, page.items) };
		}),

	create: crmProcedure
		.input(ZCreateCustomerRequest)
		.output(ZCreateCustomerResponse)
		.mutation(({ ctx, input }) => createCustomer(ctx.services.db, { ...input, source: 'manual' })),

	update: crmProcedure
		.input(ZUpdateCustomerRequest)
		.output(ZUpdateCustomerResponse)
		.mutation(({ ctx, input }) => updateCustomer(ctx.services.db, input))
});
