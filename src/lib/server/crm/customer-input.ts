/**
 * Validation for what staff type into a customer record. The same zod schemas back the tRPC
 * procedures and the domain functions, so a form action, a seed and an API call all get the
 * same rules and the same messages.
 */
import { errorMessage } from '../../errors';
import { z } from 'zod';
import { badRequest, type AppError } from '../errors';
import { CUSTOMER_KINDS, CUSTOMER_LIMITS, CUSTOMER_SOURCES, LEAD_STATUSES, PHONE_LABELS } from '../db/schema/crm';
import { normalizePhone, type NormalizedPhone } from './normalize-phone';

export const MAX_PHONES_PER_CUSTOMER = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (label: string, max: number) =>
	z
		.string({ error: `${label} must be text.` })
		.trim()
		.max(max, {
			error: (issue) =>
				`${label} is too long (${typeof issue.input === 'string' ? issue.input.length : 'over ' + max} characters); the limit is ${max}.`
		});

export const ZCustomerId = z
	.string({ error: 'A customer id is required.' })
	.regex(UUID, { error: (issue) => `'${String(issue.input).slice(0, 60)}' is not a customer id.` });

export const ZPhoneInput = z.object({
	/** Any common format; normalized to E.164 on save. */
	number: z
		.string({ error: 'Phone number must be text.' })
		.max(40, { error: 'Phone number is too long (at most 40 characters).' }),
	label: z.enum(PHONE_LABELS, { error: `Phone label must be one of ${PHONE_LABELS.join(', ')}.` }).default('mobile'),
	isPrimary: z.boolean().default(false)
});
export type PhoneInput = z.input<typeof ZPhoneInput>;

const customerFields = {
	kind: z.enum(CUSTOMER_KINDS, { error: 'Kind must be customer or lead.' }),
	firstName: text('First name', CUSTOMER_LIMITS.firstName),
	lastName: text('Last name', CUSTOMER_LIMITS.lastName),
	company: text('Company', CUSTOMER_LIMITS.company),
	email: text('Email', CUSTOMER_LIMITS.email).refine((v) => v === '' || z.email().safeParse(v).success, {
		error: 'Enter a valid email address such as jane@example.com, or leave it empty.'
	}),
	notes: text('Notes', CUSTOMER_LIMITS.notes),
	status: z.enum(LEAD_STATUSES, { error: `Lead status must be one of ${LEAD_STATUSES.join(', ')}.` }).nullable(),
	ownerId: z.string().trim().min(1).max(200).nullable(),
	phones: z
		.array(ZPhoneInput)
		.max(MAX_PHONES_PER_CUSTOMER, { error: `A customer can have at most ${MAX_PHONES_PER_CUSTOMER} phone numbers.` })
};

export const ZCreateCustomerInput = z.object({
	kind: customerFields.kind.default('customer'),
	firstName: customerFields.firstName.default(''),
	lastName: customerFields.lastName.default(''),
	company: customerFields.company.default(''),
	email: customerFields.email.default(''),
	notes: customerFields.notes.default(''),
	status: customerFields.status.optional(),
	ownerId: customerFields.ownerId.optional(),
	source: z.enum(CUSTOMER_SOURCES).default('manual'),
	phones: customerFields.phones.default([])
});
export type CreateCustomerInput = z.input<typeof ZCreateCustomerInput>;

/** An edit: every field optional; `phones`, when given, replaces the whole list. */
export const ZUpdateCustomerInput = z.object({
	id: ZCustomerId,
	/** The `updatedAt` the editor loaded; when set and the record changed since, the edit is refused (CONFLICT). */
	expectedUpdatedAt: z.iso.datetime({ offset: true }).optional(),
	kind: customerFields.kind.optional(),
	firstName: customerFields.firstName.optional(),
	lastName: customerFields.lastName.optional(),
	company: customerFields.company.optional(),
	email: customerFields.email.optional(),
	notes: customerFields.notes.optional(),
	status: customerFields.status.optional(),
	ownerId: customerFields.ownerId.optional(),
	phones: customerFields.phones.optional()
});
export type UpdateCustomerInput = z.input<typeof ZUpdateCustomerInput>;

/** Field path (`firstName`, `phones.1.number`) -> messages, for inline form errors. */
export type FieldErrors = Record<string, string[]>;

/** Parse with `schema`, or throw BAD_REQUEST `code` whose message is the first problem, with every problem by field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, code = 'INVALID_CUSTOMER'): z.output<T> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const fieldErrors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const key = issue.path.map(String).join('.') || '_';
		(fieldErrors[key] ??= []).push(issue.message);
	}
	const first = result.error.issues[0];
	throw badRequest(code, first?.message ?? 'The customer details are not valid.', { fieldErrors });
}

export function fieldError(code: string, field: string, message: string): AppError {
	return badRequest(code, message, { fieldErrors: { [field]: [message] } });
}

export interface NormalizedPhoneInput extends NormalizedPhone {
	label: (typeof PHONE_LABELS)[number];
	isPrimary: boolean;
}

/**
 * Normalize every number before anything is written, so a bad second number fails the whole
 * save. Rejects duplicates and more than one primary; makes the first number primary when none is.
 */
export function normalizePhoneList(phones: z.output<typeof ZPhoneInput>[]): NormalizedPhoneInput[] {
	const out: NormalizedPhoneInput[] = [];
	const seen = new Map<string, number>();
	phones.forEach((phone, i) => {
		let normalized: NormalizedPhone;
		try {
			normalized = normalizePhone(phone.number);
		} catch (error) {
			const message = errorMessage(error);
			throw fieldError('INVALID_PHONE', `phones.${i}.number`, phones.length > 1 ? `Phone ${i + 1}: ${message}` : message);
		}
		const earlier = seen.get(normalized.e164);
		if (earlier !== undefined) {
			throw fieldError(
				'DUPLICATE_PHONE',
				`phones.${i}.number`,
				`Phone ${i + 1} ('${phone.number}') is the same number as phone ${earlier + 1}; remove one of them.`
			);
		}
		seen.set(normalized.e164, i);
		out.push({ ...normalized, label: phone.label, isPrimary: phone.isPrimary });
	});
	const primaries = out.filter((p) => p.isPrimary).length;
	if (primaries > 1) throw fieldError('MULTIPLE_PRIMARY_PHONES', 'phones', 'Only one phone number can be primary.');
	if (primaries === 0 && out[0]) out[0].isPrimary = true;
	return out;
}

/** A record needs something a person can recognise it by. */
export function assertIdentifiable(fields: { firstName: string; lastName: string; company: string }, phoneCount: number): void {
	if (fields.firstName === '' && fields.lastName === '' && fields.company === '' && phoneCount === 0) {
		throw fieldError('CUSTOMER_NAME_REQUIRED', 'lastName', 'Enter a name, a company or a phone number.');
	}
}
