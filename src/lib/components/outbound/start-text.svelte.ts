/**
 * The Text button's compose box: a first text from a record goes to sms.startThread, which runs
 * the outbound gate; a refusal shows its rule, the recipient's local time and when texting opens.
 */
import { TRPCClientError } from '@trpc/client';
import { errorMessage, trpc } from '$lib/trpc';
import { refusalOf, type DialRefusal } from './click-to-dial.svelte';

/** The gate's rules whose refusals name a rule to show (the AppError codes of outbound/gate.ts). */
const GATE_RULES = new Set([
	'INVALID_NUMBER',
	'SHORT_CODE',
	'PREMIUM_RATE',
	'INTERNATIONAL_NOT_ALLOWED',
	'DNC_BLOCKED',
	'OUTSIDE_CALLING_HOURS',
	'TIMEZONE_UNKNOWN',
	'MAX_ATTEMPTS'
]);

export class StartText {
	open = $state(false);
	body = $state('');
	busy = $state(false);
	refusal = $state<DialRefusal | null>(null);
	error = $state<string | null>(null);
	/** The thread the text went into, once sent. */
	sentThreadId = $state<string | null>(null);

	toggle(): void {
		this.open = !this.open;
		this.sentThreadId = null;
	}

	async send(to: string): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		this.refusal = null;
		this.error = null;
		try {
			const { thread } = await trpc.sms.startThread.mutate({ to, body: this.body });
			this.sentThreadId = thread.id;
			this.body = '';
			this.open = false;
		} catch (error) {
			const data = error instanceof TRPCClientError ? (error.data as { appCode?: string | null; details?: Record<string, unknown> | null } | undefined) : undefined;
			if (data?.appCode && GATE_RULES.has(data.appCode)) {
				const d = data.details ?? {};
				const text = (k: string) => (typeof d[k] === 'string' ? d[k] : null);
				this.refusal = refusalOf({ rule: data.appCode, message: errorMessage(error), recipientLocalTime: text('recipientLocalTime'), timeZone: text('timeZone'), opensAt: text('opensAt') });
			} else {
				this.error = errorMessage(error);
			}
		} finally {
			this.busy = false;
		}
	}
}
