import { describe, expect, it } from 'vitest';
import { mergeMessages, type ArchivedMessage, type LiveMessage } from './thread-messages';

const archived = (id: string, at: string, status: ArchivedMessage['status'] = 'received'): ArchivedMessage => ({
	id,
	direction: status === 'received' ? 'inbound' : 'outbound',
	body: `body ${id}`,
	status,
	errorMessage: null,
	createdAt: at
});
const live = (archiveId: string, sentAt: number, state: LiveMessage['state']): LiveMessage => ({
	archiveId,
	direction: state === 'received' ? 'inbound' : 'outbound',
	body: `body ${archiveId}`,
	state,
	sentAt
});

describe('mergeMessages', () => {
	it('orders oldest first, adds live-only messages, and lets the live copy move a status forward', () => {
		const merged = mergeMessages(
			[archived('b', '2026-11-24T09:00:02.000Z', 'sent'), archived('a', '2026-11-24T09:00:01.000Z')],
			[live('b', Date.parse('2026-11-24T09:00:02.000Z'), 'delivered'), live('c', Date.parse('2026-11-24T09:00:03.000Z'), 'received')]
		);
		expect(merged.map((m) => [m.id, m.status])).toEqual([
			['a', 'received'],
			['b', 'delivered'],
			['c', 'received']
		]);
	});

	it('never moves a status back when the live copy lags the archive', () => {
		const failed = { ...archived('x', '2026-11-24T09:00:00.000Z', 'failed'), errorMessage: 'Unreachable' };
		const merged = mergeMessages([failed], [live('x', 0, 'sent')]);
		expect(merged).toMatchObject([{ id: 'x', status: 'failed', errorMessage: 'Unreachable' }]);
	});

	it('keeps an MMS media count from whichever copy has it', () => {
		const merged = mergeMessages(
			[{ ...archived('m', '2026-11-24T09:00:00.000Z'), mediaCount: 2 }, archived('p', '2026-11-24T09:00:01.000Z')],
			[live('m', 0, 'received'), { ...live('n', Date.parse('2026-11-24T09:00:02.000Z'), 'received'), mediaCount: 1 }]
		);
		expect(merged.map((m) => [m.id, m.mediaCount])).toEqual([
			['m', 2],
			['p', 0],
			['n', 1]
		]);
	});

	it('keeps markup as plain text data', () => {
		const merged = mergeMessages([{ ...archived('s', '2026-11-24T09:00:00.000Z'), body: '<script>alert(1)</script>' }], []);
		expect(merged[0]?.body).toBe('<script>alert(1)</script>');
	});
});
