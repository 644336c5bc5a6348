/**
 * The MMS media job over real HTTP: a local carrier serving its REST (and its media, behind Basic
 * auth) on 127.0.0.1, plus a second server standing for any other host. The job stores what the
 * carrier's origin serves, refuses every other host without asking it, refuses oversize files and
 * refused types, and retries a 5xx until the file arrives or the last attempt gives up.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalStorage } from '../adapters/storage';
import { LocalCarrier, LocalTelephony } from '../adapters/telephony';
import { handleTwilioRest } from '../adapters/telephony/carrier/rest';
import { startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from '../adapters/test-http-server';
import { smsAttachments, smsMessages } from '../db/schema/sms';
import { rowsOf } from '../db/rows';
import { createTestDb, type TestDb } from '../db/test-db';
import type { Jobs } from '../jobs/jobs';
import { createTestJobs } from '../jobs/test-jobs';
import { setLogLevel } from '../log';
import { fetchMmsMediaJob, MMS_MAX_BYTES } from './fetch-mms-media';
import { receiveInboundSms } from './receive-inbound-sms';
import { messageSid, OUR_NUMBER, SILENT_HOT, TEST_ACCOUNT_SID } from './test-helpers';

/** A 1x1 PNG. */
const PNG = Uint8Array.from(
	Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
);

let t: TestDb;
let jobs: Jobs;
let carrierHost: FakeHttpServer;
let elsewhere: FakeHttpServer;
let carrier: LocalCarrier;
let telephony: LocalTelephony;
const storage = new LocalStorage({ root: mkdtempSync(path.join(tmpdir(), 'sb-mms-')), secret: 'y'.repeat(32), publicBaseUrl: 'https://sb.example.com' });
/** How many more times /flaky answers 503 before it serves the image. */
let flakyFailures = 0;

function send(res: ServerResponse, status: number, body: Uint8Array | string, headers: Record<string, string> = {}) {
	res.writeHead(status, headers);
	res.end(body);
}

/** The carrier's origin: Twilio's REST for the carrier under /carrier, and a few misbehaving media paths beside it. */
function carrierHandler(req: RecordedRequest, res: ServerResponse) {
	if (req.path.startsWith('/carrier/')) {
		const answer = handleTwilioRest(
			carrier,
			{ method: req.method, path: req.path.slice('/carrier'.length), form: req.query, authorization: req.headers.authorization },
			{ authorize: (u, p) => carrier.checkCredentials(u, p) }
		);
		return send(res, answer.status, answer.body, { 'content-type': answer.contentType });
	}
	if (req.path === '/flaky') {
		if (flakyFailures > 0) {
			flakyFailures -= 1;
			return send(res, 503, 'busy');
		}
		return send(res, 200, PNG, { 'content-type': 'image/png' });
	}
	if (req.path === '/big') {
		return send(res, 200, new Uint8Array(MMS_MAX_BYTES + 1), { 'content-type': 'image/jpeg', 'content-length': String(MMS_MAX_BYTES + 1) });
	}
	if (req.path === '/big-chunked') {
		// No Content-Length: the limit must hold while reading.
		res.writeHead(200, { 'content-type': 'image/jpeg', 'transfer-encoding': 'chunked' });
		const chunk = new Uint8Array(1_000_000);
		for (let i = 0; i < 6; i++) res.write(chunk);
		res.end();
		return;
	}
	if (req.path === '/page') return send(res, 200, '<svg onload="alert(1)"/>', { 'content-type': 'image/svg+xml' });
	if (req.path === '/gone') return send(res, 404, 'no such media');
	if (req.path === '/away') return send(res, 302, '', { location: `${elsewhere.url}/cat.png` });
	if (req.path === '/around') return send(res, 307, '', { location: '/flaky' });
	return send(res, 404, 'unknown');
}

beforeAll(async () => {
	setLogLevel('silent');
	t = await createTestDb();
	carrierHost = await startFakeHttpServer(carrierHandler);
	elsewhere = await startFakeHttpServer((_req, res) => send(res, 200, PNG, { 'content-type': 'image/png' }));
	carrier = new LocalCarrier({ accountSid: TEST_ACCOUNT_SID, authToken: 'test-token', apiBaseUrl: `${carrierHost.url}/carrier` });
	telephony = new LocalTelephony(carrier);
	jobs = await createTestJobs(t, { adapters: { telephony, storage }, hot: SILENT_HOT }, { work: false });
}, 60_000);
afterAll(async () => {
	await jobs.stop().catch(() => {});
	await Promise.allSettled([carrierHost.close(), elsewhere.close()]);
	await t.close();
});
beforeEach(() => {
	carrierHost.requests.length = 0;
	elsewhere.requests.length = 0;
});

let n = 0;
const freshPhone = () => `+1312555${String(1000 + ++n).padStart(4, '0')}`;
const deps = () => ({ db: t.db, adapters: { telephony, storage } });

/** An inbound MMS through the domain, as the webhook records it: message, pending attachments and the job, in one transaction. */
async function inboundMms(media: { url: string; contentType: string }[], sid = `MM${messageSid().slice(2)}`) {
	const result = await receiveInboundSms(t.db, { messageSid: sid, from: freshPhone(), to: OUR_NUMBER, body: 'see attached', media }, { company: 'Switchboard', jobs });
	return { messageId: result.message.id, sid };
}
const attachments = (messageId: string) =>
	t.db.select().from(smsAttachments).where(eq(smsAttachments.messageId, messageId)).orderBy(asc(smsAttachments.index));
async function jobsFor(messageId: string) {
	const result: unknown = await t.db.execute(sql`select state from pgboss.job where name = 'fetch-mms-media' and data->>'messageId' = ${messageId}`);
	return rowsOf<{ state: string }>(result);
}

describe('recording an inbound MMS', () => {
	it('writes one pending attachment per MediaUrl and queues one fetch job with the message; a replay adds neither', async () => {
		const photo = carrier.receiveMessage({ from: '+13125550999', to: OUR_NUMBER, body: '', attachments: [{ body: PNG, contentType: 'image/png' }] });
		const media = [
			{ url: photo.mediaUrls[0] ?? '', contentType: 'image/png' },
			{ url: `${carrierHost.url}/flaky`, contentType: 'IMAGE/JPEG' }
		];
		const { messageId, sid } = await inboundMms(media);
		expect((await attachments(messageId)).map((a) => [a.index, a.status, a.contentType, a.sourceUrl])).toEqual([
			[0, 'pending', 'image/png', media[0]?.url],
			[1, 'pending', 'image/jpeg', media[1]?.url]
		]);
		expect(await jobsFor(messageId)).toHaveLength(1);

		const again = await receiveInboundSms(t.db, { messageSid: sid, from: '+13125550999', to: OUR_NUMBER, body: 'see attached', media }, { company: 'Switchboard', jobs });
		expect(again.duplicate).toBe(true);
		expect(await attachments(messageId)).toHaveLength(2);
		expect(await jobsFor(messageId)).toHaveLength(1);
		// Nothing was fetched yet: the webhook never waits on the media host.
		expect(carrierHost.requests).toEqual([]);
	});
});

describe('fetchMmsMediaJob', () => {
	it("stores the carrier's media, fetched with the account's Basic credentials, under mms/<message>/<N>.<ext>", async () => {
		const photo = carrier.receiveMessage({ from: '+13125550998', to: OUR_NUMBER, body: '', attachments: [{ body: PNG, contentType: 'image/png' }] });
		const url = photo.mediaUrls[0] ?? '';
		expect(url).toMatch(new RegExp(`^${carrierHost.url}/carrier/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/MM[0-9a-f]{32}/Media/ME[0-9a-f]{32}$`));
		// As on Twilio with media auth on: no credentials, no media.
		expect((await fetch(url)).status).toBe(401);
		carrierHost.requests.length = 0;

		const { messageId } = await inboundMms([{ url, contentType: 'image/png' }]);
		await fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: false });

		const [stored] = await attachments(messageId);
		expect(stored).toMatchObject({ status: 'stored', contentType: 'image/png', sizeBytes: PNG.byteLength, storageKey: `mms/${messageId}/0.png`, error: null, attempts: 1 });
		expect((await storage.get(`mms/${messageId}/0.png`))?.body).toEqual(PNG);
		expect(carrierHost.requests).toHaveLength(1);
		expect(carrierHost.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:test-token`).toString('base64')}`);
	});

	it("deletes the carrier's copy once the file is stored, unless DELETE_CARRIER_COPIES is off", async () => {
		const receive = () => carrier.receiveMessage({ from: '+13125550997', to: OUR_NUMBER, body: '', attachments: [{ body: PNG, contentType: 'image/png' }] });
		const mediaSid = (url: string) => /\/Media\/(ME[0-9a-f]{32})$/.exec(url)?.[1] ?? '';
		const deleted = receive().mediaUrls[0] ?? '';
		const first = await inboundMms([{ url: deleted, contentType: 'image/png' }]);
		await fetchMmsMediaJob(deps(), { messageId: first.messageId }, { lastAttempt: false });
		expect((await attachments(first.messageId))[0]?.status).toBe('stored');
		expect(carrier.media.has(mediaSid(deleted))).toBe(false);

		const kept = receive().mediaUrls[0] ?? '';
		const second = await inboundMms([{ url: kept, contentType: 'image/png' }]);
		await fetchMmsMediaJob({ ...deps(), settings: { deleteCarrierCopies: false } }, { messageId: second.messageId }, { lastAttempt: false });
		expect((await attachments(second.messageId))[0]?.status).toBe('stored');
		expect(carrier.media.has(mediaSid(kept))).toBe(true);
	});

	it('refuses a MediaUrl on any other host without asking it, and a redirect there too; the reason is kept', async () => {
		const { messageId } = await inboundMms([
			{ url: `${elsewhere.url}/cat.png`, contentType: 'image/png' },
			{ url: `${carrierHost.url}/away`, contentType: 'image/png' }
		]);
		await fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: false });
		const rows = await attachments(messageId);
		expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
		expect(rows[0]?.error).toBe(
			`The media URL points at 127.0.0.1:${elsewhere.port}, which is not the carrier's media host; MMS media is fetched only from the local carrier's origin ${carrierHost.url}.`
		);
		expect(rows[1]?.error).toMatch(new RegExp(`^The carrier redirected the media to 127\\.0\\.0\\.1:${elsewhere.port}, which is not the carrier's media host`));
		expect(rows.every((r) => r.storageKey === null && r.attempts === 1)).toBe(true);
		expect(elsewhere.requests).toEqual([]);
		// The allowed hop was asked once; the refused one never.
		expect(carrierHost.requests.map((r) => r.path)).toEqual(['/away']);
	});

	it('refuses files over 5 MB, whether or not the size was announced, and types it does not accept', async () => {
		const { messageId } = await inboundMms([
			{ url: `${carrierHost.url}/big`, contentType: 'image/jpeg' },
			{ url: `${carrierHost.url}/big-chunked`, contentType: 'image/jpeg' },
			{ url: `${carrierHost.url}/page`, contentType: 'image/jpeg' },
			{ url: `${carrierHost.url}/gone`, contentType: 'image/jpeg' }
		]);
		await fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: false });
		const rows = await attachments(messageId);
		expect(rows.map((r) => [r.status, r.error])).toEqual([
			['failed', 'The file is larger than the 5 MB limit for MMS media (5,000,001 bytes).'],
			['failed', 'The file is larger than the 5 MB limit for MMS media.'],
			['failed', 'Files of type image/svg+xml are not accepted; MMS attachments may be images (JPEG, PNG, GIF, WebP, BMP, HEIC), audio, video, PDF, vCards or plain text.'],
			['failed', "The carrier's media host answered 404 for this media file."]
		]);
		expect(await storage.exists(`mms/${messageId}/0.jpg`)).toBe(false);
	});

	it('retries a 5xx (following a redirect on the same origin), fetching only what is still pending, until it arrives', async () => {
		const photo = carrier.receiveMessage({ from: '+13125550997', to: OUR_NUMBER, body: '', attachments: [{ body: PNG, contentType: 'image/png' }] });
		const { messageId } = await inboundMms([
			{ url: photo.mediaUrls[0] ?? '', contentType: 'image/png' },
			{ url: `${carrierHost.url}/around`, contentType: 'image/png' }
		]);
		flakyFailures = 2;
		await expect(fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: false })).rejects.toThrow(/answered 503/);
		let rows = await attachments(messageId);
		expect(rows.map((r) => [r.status, r.attempts])).toEqual([
			['stored', 1],
			['pending', 1]
		]);
		expect(rows[1]?.error).toBe("The carrier's media host answered 503 for this media file.");

		await expect(fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: false })).rejects.toThrow(/answered 503/);
		await fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: false });
		rows = await attachments(messageId);
		expect(rows.map((r) => [r.status, r.attempts, r.error])).toEqual([
			['stored', 1, null],
			['stored', 3, null]
		]);
		// The stored file was fetched once; the flaky one three times, each through its redirect.
		expect(carrierHost.requests.filter((r) => r.path.startsWith('/carrier/'))).toHaveLength(1);
		expect(carrierHost.requests.filter((r) => r.path === '/around')).toHaveLength(3);
	});

	it('marks a file still failing on the last attempt failed, saying it gave up', async () => {
		const { messageId } = await inboundMms([{ url: `${carrierHost.url}/flaky`, contentType: 'image/png' }]);
		flakyFailures = 1;
		await fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: true });
		const [row] = await attachments(messageId);
		expect(row).toMatchObject({ status: 'failed', attempts: 1, error: "The carrier's media host answered 503 for this media file. Switchboard gave up after 1 attempt." });
		flakyFailures = 0;
	});

	it('does nothing for a message that is gone', async () => {
		const { messageId } = await inboundMms([{ url: `${carrierHost.url}/flaky`, contentType: 'image/png' }]);
		await t.db.delete(smsMessages).where(eq(smsMessages.id, messageId));
		await fetchMmsMediaJob(deps(), { messageId }, { lastAttempt: false });
		expect(carrierHost.requests).toEqual([]);
	});
});
