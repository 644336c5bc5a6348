/** The spool's reading side: what the replayer gets back, and that one bad file cannot block the rest. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSpool, spoolDelivery } from './spool';

let dir: string | null = null;
afterEach(async () => {
	if (dir) await rm(dir, { recursive: true, force: true });
	dir = null;
});

describe('readSpool', () => {
	it('sets an unreadable file aside and still returns the other deliveries, oldest first', async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'spool-'));
		const sms = (sid: string, receivedAt: string) => ({ kind: 'sms.inbound' as const, sid, receivedAt, params: { MessageSid: sid } });
		await spoolDelivery(dir, sms('SMbbb', '2026-12-06T10:00:02.000Z'));
		await spoolDelivery(dir, sms('SMaaa', '2026-12-06T10:00:01.000Z'));
		await writeFile(path.join(dir, 'sms.inbound.SMbroken.json'), '{"kind":"sms.inb');

		const read = await readSpool(dir);
		expect(read.map((e) => e.delivery.sid)).toEqual(['SMaaa', 'SMbbb']);
		expect((await readdir(dir)).sort()).toEqual(['sms.inbound.SMaaa.json', 'sms.inbound.SMbbb.json', 'sms.inbound.SMbroken.json.rejected']);
	});
});
