import { beforeEach, describe, expect, it, vi } from 'vitest';

type Query = { filter: string; search: string; ids?: string[]; cursor?: string; limit?: number };
const calls: Query[] = [];
let answer: (q: Query) => unknown = () => ({ items: [], nextCursor: null });

vi.mock('$lib/trpc', () => ({
	trpc: { sms: { inbox: { query: (q: Query) => (calls.push(q), Promise.resolve(answer(q))) } } },
	errorMessage: (e: unknown) => String(e)
}));

const { InboxList } = await import('./inbox-list.svelte');

const thread = (id: string, at: string, extra: Record<string, unknown> = {}) => ({
	id,
	threadKey: `+1415555${id.padStart(4, '0')}|+14155550000`,
	customerPhone: '+14155550001',
	ourPhone: '+14155550000',
	customerId: null,
	assignedTo: null,
	assigneeName: null,
	lastMessageAt: at,
	lastMessagePreview: `preview ${id}`,
	lastDirection: 'inbound' as const,
	customerName: null,
	unread: 0,
	...extra
});

class FakeSource {
	onopen: ((e: Event) => void) | null = null;
	onmessage: ((e: MessageEvent<string>) => void) | null = null;
	onerror: ((e: Event) => void) | null = null;
	readyState = 1;
	closed = false;
	close() {
		this.closed = true;
	}
	send(data: unknown) {
		this.onmessage?.({ data: JSON.stringify(data) } as MessageEvent<string>);
	}
}

const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
	calls.length = 0;
});

describe('InboxList live updates', () => {
	it('reloads on ready, then re-reads only the named threads and merges them newest first', async () => {
		const list = new InboxList();
		const source = new FakeSource();
		list.connect(() => source);
		answer = () => ({ items: [thread('b', '2026-01-01T10:00:00.000Z'), thread('a', '2026-01-01T09:00:00.000Z')], nextCursor: null });
		source.send({ kind: 'ready' });
		await settle();
		expect(list.feed).toBe('live');
		expect(list.items.map((t) => t.id)).toEqual(['b', 'a']);

		// "a" got a new text; "c" is new; both come back from one batched re-read.
		answer = (q) => ({
			items: (q.ids ?? []).map((id) => thread(id, id === 'a' ? '2026-01-01T11:00:00.000Z' : '2026-01-01T10:30:00.000Z', { unread: 1 })),
			nextCursor: null
		});
		source.send({ threadId: 'a', kind: 'message' });
		source.send({ threadId: 'c', kind: 'message' });
		await settle();
		await settle();
		expect(list.items.map((t) => [t.id, t.unread])).toEqual([
			['a', 1],
			['c', 1],
			['b', 0]
		]);
		const reads = calls.filter((c) => c.ids);
		expect(reads.flatMap((c) => c.ids)).toEqual(['a', 'c']);
		expect(reads.length).toBeLessThanOrEqual(2);
	});

	it('drops a thread that no longer matches the filter, and says when the stream is down', async () => {
		const list = new InboxList();
		list.filter = 'unassigned';
		const source = new FakeSource();
		list.connect(() => source);
		answer = () => ({ items: [thread('a', '2026-01-01T09:00:00.000Z')], nextCursor: null });
		source.send({ kind: 'ready' });
		await settle();
		answer = () => ({ items: [], nextCursor: null });
		source.send({ threadId: 'a', kind: 'assigned' });
		await settle();
		expect(calls.at(-1)).toMatchObject({ filter: 'unassigned', ids: ['a'] });
		expect(list.items).toEqual([]);
		source.readyState = 0;
		source.onerror?.(new Event('error'));
		expect(list.feed).toBe('reconnecting');
	});

	it('reopens a stream the browser closed for good, and stops when disconnected', async () => {
		vi.useFakeTimers();
		try {
			const list = new InboxList();
			const opened: FakeSource[] = [];
			const stop = list.connect(() => {
				const s = new FakeSource();
				opened.push(s);
				return s;
			});
			const first = opened[0]!;
			first.readyState = 2;
			first.onerror?.(new Event('error'));
			await vi.advanceTimersByTimeAsync(5000);
			expect(opened).toHaveLength(2);
			stop();
			expect(opened[1]?.closed).toBe(true);
		} finally {
			vi.useRealTimers();
		}
	});
});
