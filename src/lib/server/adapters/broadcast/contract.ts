/**
 * The behaviour every broadcast adapter owes the domain, as one suite. Runs against the local
 * emitter and against AblyBroadcast talking to a fake Ably (REST publish and the realtime
 * protocol for subscribe) on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors';
import type { FaultQueue } from '../test-http-server';
import type { BroadcastFault } from './test-fake-ably';
import type { BroadcastData, BroadcastMessage, BroadcastPort } from './port';

export interface BroadcastFixture {
	port: BroadcastPort;
	/** A real adapter's fake vendor: faults to serve and the message ID of every publish request. */
	vendor?: { faults: FaultQueue<BroadcastFault>; publishedIds: string[] };
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

/** The vendor failures a real adapter must survive or report; needs `fixture.vendor`. */
function vendorFaultCases(get: () => BroadcastFixture): void {
	const vendor = () => get().vendor!;
	const port = () => get().port;

	it('retries a publish refused with 429 or 5xx under the same message ID, so Ably keeps one copy', async () => {
		const got = collector();
		await port().subscribe('faults:retry', got.handler);
		vendor().publishedIds.length = 0;
		vendor().faults.inject('throttle', 'server-error');
		await port().publish('faults:retry', 'report.done', { id: 1 });
		expect(vendor().publishedIds).toHaveLength(3);
		expect(new Set(vendor().publishedIds).size).toBe(1);
		expect((await got.waitFor(1)).map((m) => m.data)).toEqual([{ id: 1 }]);
	});

	it('gives up on a stalled publish with a retryable error', async () => {
		vendor().faults.inject('stall', 'stall', 'stall');
		const err = await port()
			.publish('faults:stall', 'x', { a: 1 })
			.catch((e: unknown) => e);
		vendor().faults.clear();
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ retryable: true, port: 'broadcast' });
	});

	it('reports Ably refusing the message data (40013) without retrying', async () => {
		vendor().publishedIds.length = 0;
		vendor().faults.inject('invalid-data');
		await expect(port().publish('faults:data', 'x', { a: 1 })).rejects.toMatchObject({ vendorCode: 40013, status: 400, retryable: false });
		expect(vendor().publishedIds).toHaveLength(1);
	});

	it('a refused subscribe fails with the reason and leaves no handler behind', async () => {
		const refused = collector();
		const later = collector();
		vendor().faults.inject('attach-denied');
		await expect(port().subscribe('faults:denied', refused.handler)).rejects.toMatchObject({ vendorCode: 40160, retryable: false });
		await port().subscribe('faults:denied', later.handler);
		await port().publish('faults:denied', 'x', 'after');
		expect((await later.waitFor(1)).map((m) => m.data)).toEqual(['after']);
		expect(refused.messages).toEqual([]);
	});
}

export function broadcastContract(name: string, create: () => Promise<BroadcastFixture>, options: { vendorFaults?: boolean } = {}): void {
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

		it('refuses bare numbers and booleans as data, as Ably does, and carries strings, null, objects and arrays', async () => {
			for (const bare of [42, 0, true, false]) {
				await expect(port.publish('c', 'x', bare as unknown as BroadcastData), String(bare)).rejects.toMatchObject({ code: 'INVALID_MESSAGE_DATA' });
			}
			const got = collector();
			await port.subscribe('kinds', got.handler);
			for (const data of ['text', null, { a: 1 }, [1, 'two']] as BroadcastData[]) await port.publish('kinds', 'k', data);
			expect((await got.waitFor(4)).map((m) => m.data)).toEqual(['text', null, { a: 1 }, [1, 'two']]);
		});

		if (options.vendorFaults) describe('when the vendor fails', () => vendorFaultCases(() => fixture));
	});
}
