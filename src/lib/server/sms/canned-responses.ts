/** Canned responses: managers create, edit and retire them; agents list the active ones and insert them filled. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { customers } from '../db/schema/crm';
import { CANNED_LIMITS, cannedResponses } from '../db/schema/sms';
import { badRequest, notFound } from '../errors';
import { fillTemplate, unknownPlaceholders, type TemplateVars } from '$lib/sms/fill-template';

export interface CannedResponseView {
	id: string;
	title: string;
	body: string;
	retired: boolean;
	createdBy: string | null;
	updatedBy: string | null;
	createdAt: string;
	updatedAt: string;
}

export const ZCannedResponseInput = z.object({
	title: z
		.string()
		.trim()
		.min(1, { error: 'Give the response a title.' })
		.max(CANNED_LIMITS.title, { error: `A title is at most ${CANNED_LIMITS.title} characters.` }),
	body: z
		.string()
		.refine((b) => b.trim() !== '', { error: 'Write the text of the response.' })
		.refine((b) => b.length <= CANNED_LIMITS.body, { error: `A response is at most ${CANNED_LIMITS.body} characters.` })
		.refine((b) => unknownPlaceholders(b).length === 0, {
			error: 'Use only {{customer.firstName}}, {{agent.name}} and {{company}} as placeholders.'
		})
});
export type CannedResponseInput = z.input<typeof ZCannedResponseInput>;

function parse(input: CannedResponseInput) {
	const parsed = ZCannedResponseInput.safeParse(input);
	if (!parsed.success) throw badRequest('INVALID_CANNED_RESPONSE', parsed.error.issues[0]?.message ?? 'Invalid canned response.');
	return parsed.data;
}

function toView(row: typeof cannedResponses.$inferSelect): CannedResponseView {
	return {
		id: row.id,
		title: row.title,
		body: row.body,
		retired: row.retiredAt !== null,
		createdBy: row.createdBy,
		updatedBy: row.updatedBy,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString()
	};
}

const missing = () => notFound('CANNED_RESPONSE_NOT_FOUND', 'That canned response no longer exists; reload the list.');
const isUuid = (id: string) => z.uuid().safeParse(id).success;

export async function createCannedResponse(
	db: Db,
	actor: { id: string },
	input: CannedResponseInput
): Promise<CannedResponseView> {
	const fields = parse(input);
	const [row] = await db
		.insert(cannedResponses)
		.values({ ...fields, createdBy: actor.id, updatedBy: actor.id })
		.returning();
	if (!row) throw new Error('insert into canned_responses returned no row');
	return toView(row);
}

export async function updateCannedResponse(
	db: Db,
	actor: { id: string },
	id: string,
	input: CannedResponseInput
): Promise<CannedResponseView> {
	const fields = parse(input);
	if (!isUuid(id)) throw missing();
	const [row] = await db
		.update(cannedResponses)
		.set({ ...fields, updatedBy: actor.id })
		.where(eq(cannedResponses.id, id))
		.returning();
	if (!row) throw missing();
	return toView(row);
}

/** Retire (or bring back) a response; retired ones leave the agents' picker but stay on record. */
export async function setCannedResponseRetired(
	db: Db,
	actor: { id: string },
	id: string,
	retired: boolean
): Promise<CannedResponseView> {
	if (!isUuid(id)) throw missing();
	const [row] = await db
		.update(cannedResponses)
		.set({ retiredAt: retired ? new Date() : null, updatedBy: actor.id })
		.where(eq(cannedResponses.id, id))
		.returning();
	if (!row) throw missing();
	return toView(row);
}

export async function listCannedResponses(db: Db, options: { includeRetired?: boolean } = {}): Promise<CannedResponseView[]> {
	const rows = await db
		.select()
		.from(cannedResponses)
		.where(options.includeRetired ? undefined : isNull(cannedResponses.retiredAt))
		.orderBy(asc(cannedResponses.title), asc(cannedResponses.id));
	return rows.map(toView);
}

/** An active response's text filled for this customer and agent, ready for the composer. */
export async function renderCannedResponse(db: Db, id: string, vars: TemplateVars): Promise<string> {
	if (!isUuid(id)) throw missing();
	const [row] = await db
		.select()
		.from(cannedResponses)
		.where(and(eq(cannedResponses.id, id), isNull(cannedResponses.retiredAt)));
	if (!row) throw missing();
	return fillTemplate(row.body, vars);
}

/** renderCannedResponse with the customer's first name read from the CRM (none when customerId is null or unknown). */
export async function renderCannedForCustomer(
	db: Db,
	input: { id: string; customerId?: string | null; agentName: string; company?: string | null }
): Promise<string> {
	const [customer] =
		input.customerId && isUuid(input.customerId)
			? await db.select({ firstName: customers.firstName }).from(customers).where(eq(customers.id, input.customerId))
			: [];
	return renderCannedResponse(db, input.id, {
		customer: customer ?? null,
		agent: { name: input.agentName },
		company: input.company ?? null
	});
}
