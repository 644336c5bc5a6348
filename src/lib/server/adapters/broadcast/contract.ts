/**
 * The behaviour every broadcast adapter owes the domain, as one suite. Runs against the local
 * emitter; the Ably adapter's publish requests are checked against a fake Ably REST endpoint
 * (its subscriptions need Ably's realtime protocol, which no local fake speaks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcastMessage, BroadcastPort } from './port';

export interface BroadcastFixture {
	port: BroadcastPort;
	close?(): Promise<void>;
}

function collector() {
	const messages: BroadcastMessage[] = [];
	let notify: (() => void) | undefined;
	return {
		messages,
		handler: (m: BroadcastMessage) => {
			messages.push(m);
			notify?.();
		},
		async waitFor(count: number, timeoutMs = 2000): Promise<BroadcastMessage[]> {
			const deadline = Date.now() + timeoutMs;
			while (messages.length < count) {
				if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}`);
				await new Promise<void>((resolve) => {
					notify = resolve;
					setTimeout(resolve, 20);
				});
			}
			return messages;
		}
	};
}

export function broadcastContract(name: string, create: () => Promise<BroadcastFixture>): void {
	describe(`BroadcastPort contract: ${name}`, () => {
		let fixture: BroadcastFixture;
		let port: BroadcastPort;
		beforeAll(async () => {
			fixture = await create();
			port = fixture.port;
		});
		afterAll(async () => {
			await port.close();
			await fixture.close?.();
		});

		it('delivers published messages to subscribers of that channel only, in order, as JSON', async () => {
			const a = collector();
			const other = collector();
			await port.subscribe('agents:alice', a.handler);
			await port.subscribe('agents:bob', other.handler);
			const when = new Date('2025-01-01T00:00:00Z');
			await port.publish('agents:alice', 'recording.ready', { callSid: 'CA1', at: when });
			await port.publish('agents:alice', 'report.done', { id: 7 });
			const got = await a.waitFor(2);
			expect(got.map((m) => [m.channel, m.name, m.data])).toEqual([
				['agents:alice', 'recording.ready', { callSid: 'CA1', at: '2025-01-01T00:00:00.000Z' }],
				['agents:alice', 'report.done', { id: 7 }]
			]);
			expect(typeof got[0]!.timestamp).toBe('number');
			expect(other.messages).toEqual([]);
		});

		it('stops delivering after unsubscribe, and one failing handler does not starve the others', async () => {
			const kept = collector();
			const dropped = collector();
			await port.subscribe('wallboard', () => {
				throw new Error('subscriber bug');
			});
			await port.subscribe('wallboard', kept.handler);
			const unsubscribe = await port.subscribe('wallboard', dropped.handler);
			unsubscribe();
			await port.publish('wallboard', 'announcement', 'Team meeting at 4');
			expect((await kept.waitFor(1))[0]!.data).toBe('Team meeting at 4');
			expect(dropped.messages).toEqual([]);
		});

		it('refuses bad channels, unserializable data and oversized messages', async () => {
			await expect(port.publish('', 'x', {})).rejects.toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_CHANNEL' });
			await expect(port.publish('[meta]x', 'x', {})).rejects.toMatchObject({ code: 'INVALID_CHANNEL' });
			await expect(port.publish('c', 'x', () => 1)).rejects.toMatchObject({ code: 'INVALID_MESSAGE_DATA' });
			await expect(port.publish('c', 'x', 'y'.repeat(70_000))).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
			await expect(port.subscribe(':bad', () => undefined)).rejects.toMatchObject({ code: 'INVALID_CHANNEL' });
		});
	});
}
