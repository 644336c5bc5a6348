/**
 * The create/edit form's state: the fields being typed, the phone rows, and the server's answer
 * (field errors keyed like `firstName` or `phones.1.number`, or one message for the whole form).
 */
import { errorMessage } from '$lib/errors';
import { TRPCClientError } from '@trpc/client';
import type { LeadStatus, PhoneLabel } from '$lib/server/db/schema/crm';
import type { TCreateCustomerRequest, TGetCustomerResponse } from '$lib/server/trpc/routers/crm';

export type { LeadStatus, PhoneLabel };
// Browser code cannot import the server's lists; `satisfies` keeps these in step with them.
export const PHONE_LABELS = ['mobile', 'work', 'home', 'other'] as const satisfies readonly PhoneLabel[];
export const LEAD_STATUSES = [
	'new',
	'contacted',
	'qualified',
	'unqualified',
	'converted'
] as const satisfies readonly LeadStatus[];

export interface PhoneRow {
	/** Stable key for the row while it is edited (not sent). */
	key: number;
	number: string;
	label: PhoneLabel;
}

type FieldErrors = Record<string, string[] | undefined>;

let nextKey = 1;
const newRow = (number = '', label: PhoneLabel = 'mobile'): PhoneRow => ({ key: nextKey++, number, label });

export class CustomerDraft {
	kind = $state<'customer' | 'lead'>('customer');
	status = $state<LeadStatus>('new');
	firstName = $state('');
	lastName = $state('');
	company = $state('');
	email = $state('');
	notes = $state('');
	phones = $state<PhoneRow[]>([newRow()]);
	/** Key of the primary phone row. */
	primaryKey = $state<number | null>(null);

	saving = $state(false);
	message = $state<string | null>(null);
	fieldErrors = $state<FieldErrors>({});
	/** Row keys in the order they were sent, so `phones.N.*` errors find their row. */
	private sentKeys = $state<number[]>([]);

	static fromRecord(record: TGetCustomerResponse): CustomerDraft {
		const draft = new CustomerDraft();
		draft.kind = record.kind;
		draft.status = record.status ?? 'new';
		draft.firstName = record.firstName;
		draft.lastName = record.lastName;
		draft.company = record.company;
		draft.email = record.email ?? '';
		draft.notes = record.notes;
		draft.phones = record.phones.length ? record.phones.map((p) => newRow(p.display, p.label)) : [newRow()];
		const primaryIndex = record.phones.findIndex((p) => p.isPrimary);
		draft.primaryKey = draft.phones[Math.max(primaryIndex, 0)]?.key ?? null;
		return draft;
	}

	static blank(prefill: { phone?: string; name?: string } = {}): CustomerDraft {
		const draft = new CustomerDraft();
		if (prefill.phone) draft.phones = [newRow(prefill.phone)];
		if (prefill.name) {
			const [first, ...rest] = prefill.name.trim().split(/\s+/);
			draft.firstName = rest.length ? (first ?? '') : '';
			draft.lastName = rest.length ? rest.join(' ') : (first ?? '');
		}
		draft.primaryKey = draft.phones[0]?.key ?? null;
		return draft;
	}

	addPhone(): void {
		const row = newRow('', this.phones.length ? 'work' : 'mobile');
		this.phones.push(row);
		this.primaryKey ??= row.key;
	}

	removePhone(key: number): void {
		this.phones = this.phones.filter((p) => p.key !== key);
		if (this.primaryKey === key) this.primaryKey = this.phones[0]?.key ?? null;
	}

	/** What the procedures take. Empty phone rows are left out. */
	toInput(): TCreateCustomerRequest {
		const rows = this.phones.filter((p) => p.number.trim() !== '');
		this.sentKeys = rows.map((p) => p.key);
		return {
			kind: this.kind,
			status: this.kind === 'lead' ? this.status : null,
			firstName: this.firstName,
			lastName: this.lastName,
			company: this.company,
			email: this.email,
			notes: this.notes,
			phones: rows.map((p) => ({ number: p.number, label: p.label, isPrimary: p.key === this.primaryKey }))
		};
	}

	/** The first error for a field, e.g. `firstName` or `phones`. */
	errorFor(field: string): string | undefined {
		return this.fieldErrors[field]?.[0];
	}

	/** The first error for one phone row's number or label. */
	phoneError(key: number): string | undefined {
		const i = this.sentKeys.indexOf(key);
		if (i < 0) return undefined;
		return this.errorFor(`phones.${i}.number`) ?? this.errorFor(`phones.${i}.label`) ?? this.errorFor(`phones.${i}`);
	}

	/** Run a save; on failure keep the server's message and field errors and answer null. */
	async save<T>(run: (input: TCreateCustomerRequest) => Promise<T>): Promise<T | null> {
		this.saving = true;
		this.message = null;
		this.fieldErrors = {};
		try {
			return await run(this.toInput());
		} catch (error) {
			this.message = errorMessage(error);
			if (error instanceof TRPCClientError) {
				const data = error.data as
					{ details?: { fieldErrors?: FieldErrors } | null; fieldErrors?: FieldErrors | null } | undefined;
				this.fieldErrors = data?.details?.fieldErrors ?? data?.fieldErrors ?? {};
			}
			return null;
		} finally {
			this.saving = false;
		}
	}
}
