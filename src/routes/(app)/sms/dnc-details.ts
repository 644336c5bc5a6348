/** The details a DNC_BLOCKED refusal carries (compliance/gate-outbound.ts), for the composer's notice. */
export interface DncDetails {
	phone?: string;
	source?: string;
	keyword?: string | null;
	occurredAt?: string;
}

/** The details of a tRPC error's AppError, when it has them. */
export function dncDetailsOf(data: unknown): DncDetails | null {
	const details: unknown = (data as { details?: unknown } | null | undefined)?.details;
	if (!details || typeof details !== 'object') return null;
	const d = details as Record<string, unknown>;
	const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
	return { phone: text(d.phone), source: text(d.source), keyword: text(d.keyword) ?? null, occurredAt: text(d.occurredAt) };
}
