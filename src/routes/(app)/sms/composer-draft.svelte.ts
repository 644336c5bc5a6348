/**
 * The reply being written in one thread: its text, the canned responses and the open picker, the
 * send in flight and what refused it. The composer and its parts read it; focus and the caret stay
 * with the textarea in the component.
 */
import { TRPCClientError } from '@trpc/client';
import { SMS_BODY_MAX } from '$lib/sms/limits';
import { errorCode, errorMessage, trpc } from '$lib/trpc';
import { filterCanned, slashTokenAt, type SlashToken } from './composer-text';
import { dncDetailsOf, type DncDetails } from './dnc-details';
import type { GrammarCheck } from './grammar-check.svelte';
import type { ReplyLock } from './reply-lock.svelte';

/** Twilio's limit for one text; the server refuses longer bodies too (BODY_TOO_LONG). */
export const MAX_BODY = SMS_BODY_MAX;

export type SentMessage = Awaited<ReturnType<typeof trpc.sms.send.mutate>>['message'];
export type CannedResponse = Awaited<ReturnType<typeof trpc.sms.canned.list.query>>[number];

/** The open picker: from a slash command (replaces the token) or from the button (inserts at the caret). */
export interface CannedPicker {
	token: SlashToken | null;
	query: string;
	active: number;
}

/** A run of the draft for the underline layer: flagged runs get the wavy underline. */
export interface DraftRun {
	text: string;
	flagged: boolean;
}

function detailsOf(error: unknown): DncDetails | null {
	return error instanceof TRPCClientError ? dncDetailsOf(error.data) : null;
}

export class ComposerDraft {
	// Set in the constructor; the derived fields below read them in closures, run only once read.
	readonly lock: ReplyLock;
	readonly grammar: GrammarCheck;

	body = $state('');
	sending = $state(false);
	problem = $state<{ code: string | null; message: string } | null>(null);
	/** A DNC_BLOCKED refusal stays shown while the agent edits, until a send goes through. */
	blocked = $state<{ message: string; details: DncDetails | null } | null>(null);
	canned = $state<CannedResponse[]>([]);
	cannedFailed = $state(false);
	picker = $state<CannedPicker | null>(null);
	inserting = $state(false);

	readonly tooLong = $derived(this.body.length > MAX_BODY);
	readonly blockedBy = $derived.by(() => this.lock.otherHolder);
	readonly canSend = $derived(!this.sending && !this.blockedBy && this.body.trim() !== '' && !this.tooLong);
	readonly matches = $derived(this.picker ? filterCanned(this.canned, this.picker.query) : []);
	readonly suggestions = $derived.by(() => this.grammar.for(this.body));
	/** The draft cut into plain runs and flagged runs, for the underline layer behind the textarea. */
	readonly runs = $derived.by(() => {
		const out: DraftRun[] = [];
		let at = 0;
		for (const s of this.suggestions) {
			if (s.start > at) out.push({ text: this.body.slice(at, s.start), flagged: false });
			out.push({ text: this.body.slice(s.start, s.end), flagged: true });
			at = s.end;
		}
		out.push({ text: this.body.slice(at) + '\n', flagged: false });
		return out;
	});

	constructor(lock: ReplyLock, grammar: GrammarCheck) {
		this.lock = lock;
		this.grammar = grammar;
	}

	loadCanned(): void {
		trpc.sms.canned.list
			.query({ includeRetired: false })
			.then((list) => (this.canned = list))
			.catch(() => (this.cannedFailed = true));
	}

	/** Take or give back the lock as the draft fills or empties, and re-check spelling after a pause. */
	changed(): void {
		this.problem = null;
		if (this.body.trim() === '') this.lock.release();
		else void this.lock.acquire();
		this.grammar.schedule(this.body);
	}

	/** The agent typed: a slash command at the caret opens the picker on it, and leaving it closes it. */
	typed(caret: number): void {
		this.changed();
		const token = slashTokenAt(this.body, caret);
		if (token && this.canned.length > 0) this.picker = { token, query: token.query, active: 0 };
		else if (this.picker?.token) this.picker = null;
	}

	togglePicker(): void {
		this.picker = this.picker ? null : { token: null, query: '', active: 0 };
	}

	/** Move the picker's highlight down (1) or up (-1), wrapping around. */
	movePicker(step: 1 | -1): void {
		const count = this.matches.length;
		if (this.picker && count) this.picker.active = (this.picker.active + (step === 1 ? 1 : count - 1)) % count;
	}

	/** A canned response's text, filled on the server: the customer's first name from the CRM, the agent's name, the company. */
	async renderCanned(response: CannedResponse, customerId: string | null): Promise<string> {
		const { text } = await trpc.sms.canned.render.query({ id: response.id, customerId });
		return text;
	}

	fail(error: unknown): void {
		this.problem = { code: errorCode(error), message: errorMessage(error) };
	}

	async send(threadId: string, onSent: (message: SentMessage) => void): Promise<void> {
		if (!this.canSend) return;
		this.sending = true;
		this.problem = null;
		this.picker = null;
		try {
			const result = await trpc.sms.send.mutate({ threadId, body: this.body });
			this.lock.sent();
			this.body = '';
			this.grammar.schedule('');
			this.blocked = null;
			onSent(result.message);
		} catch (error) {
			if (errorCode(error) === 'DNC_BLOCKED') this.blocked = { message: errorMessage(error), details: detailsOf(error) };
			else this.fail(error);
		} finally {
			this.sending = false;
		}
	}
}
