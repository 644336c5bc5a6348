/**
 * An MMS attachment reaches the browser only through a short-lived signed URL of our own storage,
 * served by this route: the URL sms.attachments hands out works, and a forged, re-pointed or
 * expired one is refused with a reason. Pending and failed files get no URL at all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '$lib/server/adapters/storage';
import { smsAttachments } from '$lib/server/db/schema/sms';
import { createTestDb, type TestDb } from '$lib/server/db/test-db';
import { setLogLevel } from '$lib/server/log';
import { ATTACHMENT_URL_SECONDS, listMessageAttachments } from '$lib/server/sms/message-attachments';
import { receiveInboundSms } from '$lib/server/sms/receive-inbound-sms';
import { GET } from './+server';

/** What hooks.server.ts puts on `locals.services`. */
const services: { current: unknown } = { current: undefined };

const BASE = 'http://localhost:4431';
let now = Date.parse('2026-12-03T10:00:00Z');
const storage = new LocalStorage({ root: mkdtempSync(path.join(tmpdir(), 'sb-att-')), secret: 'z'.repeat(32), publicBaseUrl: BASE, now: () => new Date(now) });
const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
let t: TestDb;
let messageId: string;

/** What SvelteKit hands the route for a URL: the decoded key and the URL itself. */
function get(url: string): Promise<Response> {
	const u = new URL(url);
	const key = decodeURIComponent(u.pathname.replace(/^\/files\//, ''));
	return GET({ params: { key }, url: u, request: new Request(u), locals: { services: services.current } } as never) as Promise<Response>;
}

beforeAll(async () => {
	setLogLevel('silent');
	t = await createTestDb();
	services.current = { adapters: { storage } };
	const queued: string[] = [];
	const jobs = { enqueue: (_tx: unknown, _name: 'fetch-mms-media', data: { messageId: string }) => (queued.push(data.messageId), Promise.resolve('job')) };
	const media = ['image/png', 'application/pdf', 'image/jpeg', 'image/gif'].map((contentType, n) => ({ url: `https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME${n}`, contentType }));
	const received = await receiveInboundSms(
		t.db,
		{ messageSid: `MM${'c'.repeat(32)}`, from: '+13125550100', to: '+14155550000', body: 'files', media },
		{ company: 'Switchboard', jobs }
	);
	messageId = received.message.id;
	expect(queued).toEqual([messageId]);
	// What the job leaves behind: two stored, one still pending, one failed.
	await storage.put(`mms/${messageId}/0.png`, PNG, 'image/png');
	await storage.put(`mms/${messageId}/1.pdf`, new TextEncoder().encode('%PDF-1.4'), 'application/pdf');
	const mine = eq(smsAttachments.messageId, messageId);
	for (const [index, set] of [
		[0, { status: 'stored' as const, storageKey: `mms/${messageId}/0.png`, sizeBytes: PNG.byteLength }],
		[1, { status: 'stored' as const, storageKey: `mms/${messageId}/1.pdf`, sizeBytes: 8 }],
		[3, { status: 'failed' as const, error: 'The file is larger than the 5 MB limit for MMS media.' }]
	] as const) {
		const rows = await t.db.select().from(smsAttachments).where(mine);
		const row = rows.find((r) => r.index === index);
		await t.db.update(smsAttachments).set(set).where(eq(smsAttachments.id, row?.id ?? ''));
	}
}, 60_000);
afterAll(() => t.close());

describe('MMS attachment URLs', () => {
	it('gives stored files a signed URL of our storage (never the carrier URL), and pending or failed ones none', async () => {
		const list = await listMessageAttachments({ db: t.db, storage }, [messageId], new Date(now));
		expect(list.map((a) => [a.index, a.status, a.inline, a.fileName, a.url !== null, a.error])).toEqual([
			[0, 'stored', true, 'attachment-1.png', true, null],
			[1, 'stored', false, 'attachment-2.pdf', true, null],
			[2, 'pending', true, 'attachment-3.jpg', false, null],
			[3, 'failed', true, 'attachment-4.gif', false, 'The file is larger than the 5 MB limit for MMS media.']
		]);
		for (const a of list) {
			if (a.url) expect(a.url.startsWith(`${BASE}/files/mms/${messageId}/`)).toBe(true);
			expect(JSON.stringify(a)).not.toContain('twilio.com');
		}
		expect(list[0]?.expiresAt).toBe(new Date(now + ATTACHMENT_URL_SECONDS * 1000).toISOString());
	});

	it('serves the image inline and the PDF only as a download, sandboxed', async () => {
		const [image, pdf] = await listMessageAttachments({ db: t.db, storage }, [messageId], new Date(now));
		const res = await get(image?.url ?? '');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/png');
		expect(res.headers.get('content-disposition')).toBeNull();
		expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
		const doc = await get(pdf?.url ?? '');
		expect(doc.status).toBe(200);
		expect(doc.headers.get('content-disposition')).toMatch(/^attachment; filename="attachment-2\.pdf"/);
		expect(doc.headers.get('content-security-policy')).toBe('sandbox');
		await doc.body?.cancel();
	});

	it('refuses a forged signature, a URL re-pointed at another file, and an expired URL', async () => {
		const [image] = await listMessageAttachments({ db: t.db, storage }, [messageId], new Date(now));
		const url = image?.url ?? '';
		const sig = new URL(url).searchParams.get('sig') ?? '';
		const forged = url.replace(`sig=${sig}`, `sig=${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
		const res = await get(forged);
		expect(res.status).toBe(403);
		expect(await res.text()).toContain('signature does not match');

		const repointed = await get(url.replace('/0.png', '/1.pdf'));
		expect(repointed.status).toBe(403);
		const longer = await get(url.replace(/exp=\d+/, (m) => `exp=${Number(m.slice(4)) + 3600}`));
		expect(longer.status).toBe(403);

		now += (ATTACHMENT_URL_SECONDS + 1) * 1000;
		try {
			const expired = await get(url);
			expect(expired.status).toBe(403);
			expect(await expired.text()).toContain('expired');
		} finally {
			now -= (ATTACHMENT_URL_SECONDS + 1) * 1000;
		}
	});
});
