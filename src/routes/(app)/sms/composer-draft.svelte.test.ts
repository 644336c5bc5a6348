import { describe, expect, it, vi } from 'vitest';
import type { Suggestion } from './composer-text';
import type { GrammarCheck } from './grammar-check.svelte';
import type { ReplyLock } from './reply-lock.svelte';

const sent: { threadId: string; body: string }[] = [];
let refuse: Error | null = null;

vi.mock('$lib/trpc', () => ({
	trpc: {
		sms: {
			send: {
				mutate: (input: { threadId: string; body: string }) => {
					if (refuse) return Promise.reject(refuse);
					sent.push(input);
					return Promise.resolve({ message: { id: 'm1', body: input.body } });
				}
			}
		}
	},
	errorMessage: (e: unknown) => (e instanceof Error ? e.message : String(e)),
	errorCode: () => null
}));

const { ComposerDraft, MAX_BODY } = await import('./composer-draft.svelte');

function fakes(suggestions: Suggestion[] = []) {
	const log: string[] = [];
	const lock = {
		otherHolder: null as { holderName: string } | null,
		release: () => log.push('release'),
		acquire: () => (log.push('acquire'), Promise.resolve(true)),
		sent: () => log.push('sent')
	};
	const grammar = { for: () => suggestions, schedule: (text: string) => log.push(`check:${text}`) };
	return { lock, grammar, log, draft: new ComposerDraft(lock as unknown as ReplyLock, grammar as unknown as GrammarCheck) };
}

const canned = (id: string, title: string) => ({ id, title, body: `${title} body`, retired: false, createdBy: null, updatedBy: null, createdAt: '', updatedAt: '' });

describe('ComposerDraft', () => {
	it('takes the lock while the draft has text and gives it back when it empties, asking for a re-check each time', () => {
		const { draft, log } = fakes();
		draft.body = 'Hi';
		draft.changed();
		draft.body = '  ';
		draft.changed();
		expect(log).toEqual(['acquire', 'check:Hi', 'release', 'check:  ']);
	});

	it('opens the picker on a slash command once canned responses are loaded, and closes it when the token goes', () => {
		const { draft } = fakes();
		draft.body = '/ord';
		draft.typed(4);
		expect(draft.picker).toBeNull();
		draft.canned = [canned('a', 'Order update'), canned('b', 'Opening hours'), canned('c', 'Order late')];
		draft.typed(4);
		expect(draft.picker).toEqual({ token: { start: 0, end: 4, query: 'ord' }, query: 'ord', active: 0 });
		expect(draft.matches.map((m) => m.id)).toEqual(['a', 'c']);
		draft.body = 'ord';
		draft.typed(3);
		expect(draft.picker).toBeNull();
	});

	it('moves the highlight around the matches, wrapping at both ends', () => {
		const { draft } = fakes();
		draft.canned = [canned('a', 'One'), canned('b', 'Two')];
		draft.togglePicker();
		draft.movePicker(-1);
		expect(draft.picker?.active).toBe(1);
		draft.movePicker(1);
		expect(draft.picker?.active).toBe(0);
		draft.togglePicker();
		expect(draft.picker).toBeNull();
	});

	it('cuts the draft into plain and flagged runs for the underline layer', () => {
		const { draft } = fakes([{ start: 3, end: 11, message: 'Spelling', replacements: ['received'] }]);
		draft.body = 'We recieved it';
		expect(draft.runs).toEqual([
			{ text: 'We ', flagged: false },
			{ text: 'recieved', flagged: true },
			{ text: ' it\n', flagged: false }
		]);
	});

	it('sends only a non-empty draft within the limit that nobody else is replying to', async () => {
		const { draft, lock, log } = fakes();
		expect(draft.canSend).toBe(false);
		draft.body = 'x'.repeat(MAX_BODY + 1);
		expect(draft.tooLong).toBe(true);
		expect(draft.canSend).toBe(false);
		draft.body = 'Your parcel ships today.';
		expect(draft.canSend).toBe(true);
		lock.otherHolder = { holderName: 'Bob' };
		expect(draft.canSend).toBe(false);
		lock.otherHolder = null;

		const onSent = vi.fn();
		await draft.send('t1', onSent);
		expect(sent).toEqual([{ threadId: 't1', body: 'Your parcel ships today.' }]);
		expect(onSent).toHaveBeenCalledWith({ id: 'm1', body: 'Your parcel ships today.' });
		expect(draft.body).toBe('');
		expect(draft.sending).toBe(false);
		expect(log).toEqual(['sent', 'check:']);
	});

	it('keeps the draft and says why when a send is refused', async () => {
		const { draft } = fakes();
		draft.body = 'Hello';
		refuse = new Error('The carrier is down');
		const onSent = vi.fn();
		await draft.send('t1', onSent);
		refuse = null;
		expect(onSent).not.toHaveBeenCalled();
		expect(draft.body).toBe('Hello');
		expect(draft.problem).toEqual({ code: null, message: 'The carrier is down' });
	});
});
