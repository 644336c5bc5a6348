/**
 * The plain, JSON-safe shapes CRM functions return (timestamps as ISO strings), and the
 * mappers from database rows. tRPC output schemas and pages rely on exactly these.
 */
import type { activities, customerPhones, customers } from '../db/schema/crm';
import type { ActivityKind, CustomerKind, CustomerSource, LeadStatus, PhoneLabel } from '../db/schema/crm';
import type { CallbackTaskView } from '../callbacks/callback-view';
import type { CallDetailView } from '../calls/call-details';
import { displayName } from './display-name';
import { formatPhone } from './format-phone';

export interface PhoneView {
	id: string;
	e164: string;
	extension: string | null;
	label: PhoneLabel;
	isPrimary: boolean;
	/** Formatted for people, e.g. `(415) 555-0100`. */
	display: string;
}

export interface CustomerSummary {
	id: string;
	kind: CustomerKind;
	status: LeadStatus | null;
	source: CustomerSource;
	firstName: string;
	lastName: string;
	company: string;
	email: string | null;
	/** Full name, else company, else "Unknown caller". */
	displayName: string;
	ownerId: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface ActivityView {
	id: string;
	customerId: string;
	kind: ActivityKind;
	occurredAt: string;
	actorId: string | null;
	summary: string;
	data: Record<string, unknown>;
	/** For call activities: the call as the archive holds it now (recording state, agent, durations). */
	call: CallDetailView | null;
	/** For callback activities: the task as it stands now (open, taken by, done with an outcome). */
	callback: CallbackTaskView | null;
}

export interface TimelinePage {
	items: ActivityView[];
	/** Pass as `before` to get the next (older) page; null when there is none. */
	nextCursor: string | null;
}

export interface CustomerRecord extends CustomerSummary {
	notes: string;
	/** The owner's display name, when the record has an owner. */
	ownerName: string | null;
	phones: PhoneView[];
	timeline: TimelinePage;
}

type CustomerRow = typeof customers.$inferSelect;
type PhoneRow = typeof customerPhones.$inferSelect;
type ActivityRow = typeof activities.$inferSelect;

export { displayName } from './display-name';

export function toSummary(row: CustomerRow): CustomerSummary {
	return {
		id: row.id,
		kind: row.kind,
		status: row.status,
		source: row.source,
		firstName: row.firstName,
		lastName: row.lastName,
		company: row.company,
		email: row.email,
		displayName: displayName(row),
		ownerId: row.ownerId,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString()
	};
}

export function toPhoneView(row: PhoneRow): PhoneView {
	return {
		id: row.id,
		e164: row.e164,
		extension: row.extension,
		label: row.label,
		isPrimary: row.isPrimary,
		display: formatPhone(row.e164, row.extension)
	};
}

export function toActivityView(row: ActivityRow): ActivityView {
	return {
		id: row.id,
		customerId: row.customerId,
		kind: row.kind,
		occurredAt: row.occurredAt.toISOString(),
		actorId: row.actorId,
		summary: row.summary,
		data: row.data,
		call: null,
		callback: null
	};
}

/** In the order they were entered. */
export function sortPhones<T extends Pick<PhoneRow, 'position' | 'id'>>(rows: T[]): T[] {
	return [...rows].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
}
