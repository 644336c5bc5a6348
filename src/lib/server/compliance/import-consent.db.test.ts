import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../auth/test-helpers';
import { consentLedger } from '../db/schema/compliance';
import { createTestDb, type TestDb } from '../db/test-db';
import { consentStates } from './consent-states';
import { exportConsentCsv } from './export-consent-csv';
import { importConsent } from './import-consent';
import { addToDoNotContact, removeFromDoNotContact } from './manage-consent';
import { recordConsent } from './record-consent';

let t: TestDb;
let manager: { id: string; name: string };
beforeAll(async () => {
	t = await createTestDb();
	manager = await makeStaff(t.db, 'manager');
});
afterAll(() => t.close());

const ledger = async () => (await t.db.select({ n: count() }).from(consentLedger))[0]?.n ?? 0;
const REASON = 'National registry, November';

describe('importConsent', () => {
	it('imports a phone column with per-row channel and note, skipping repeats and numbers already listed', async () => {
		await recordConsent(t.db, { phone: '+15125550103', channel: 'all', action: 'opt_out', source: 'keyword', keyword: 'STOP' });
		const csv = [
			'Name,Phone,Channel,Note',
			'Ada,(512) 555-0101,,called twice',
			'Bob,+1 512 555 0102,sms,',
			'Cy,512.555.0101,,repeat of line 2',
			'Di,+15125550103,,already opted out',
			'Ed,"+1 512 555 0104",voice,"says ""no calls"""'
		].join('\r\n');
		const before = await ledger();
		const dry = await importConsent(t.db, manager, { csv, reason: REASON, fileName: 'registry.csv', dryRun: true });
		expect(dry).toEqual({ rows: 5, toAdd: 3, alreadyListed: 1, duplicates: 1, errorCount: 0, errors: [], added: 0, dryRun: true });
		expect(await ledger()).toBe(before);

		const done = await importConsent(t.db, manager, { csv, reason: REASON, fileName: 'registry.csv' });
		expect(done).toMatchObject({ toAdd: 3, added: 3, dryRun: false });
		const rows = await t.db.select().from(consentLedger).where(eq(consentLedger.source, 'import')).orderBy(consentLedger.id);
		expect(rows.map((r) => [r.phone, r.channel, r.reason, r.userId])).toEqual([
			['+15125550101', 'all', `Imported from registry.csv: ${REASON} (called twice)`, manager.id],
			['+15125550102', 'sms', `Imported from registry.csv: ${REASON}`, manager.id],
			['+15125550104', 'voice', `Imported from registry.csv: ${REASON} (says "no calls")`, manager.id]
		]);
		const states = await consentStates(t.db, ['+15125550102', '+15125550104']);
		expect(states.get('+15125550102')?.channels).toMatchObject({ sms: { state: 'opted_out' }, voice: { state: 'none' } });
		expect(states.get('+15125550104')?.channels).toMatchObject({ sms: { state: 'none' }, voice: { state: 'opted_out', entry: { userName: manager.name } } });
		// Importing the same file again adds nothing.
		expect(await importConsent(t.db, manager, { csv, reason: REASON, dryRun: true })).toMatchObject({ toAdd: 0, alreadyListed: 4 });
	});

	it('refuses the whole file when any row is wrong, listing each row and what to fix, writing nothing', async () => {
		const csv = ['+16175550101', '555', '', 'call me maybe', '+16175550102'].join('\n');
		const before = await ledger();
		const dry = await importConsent(t.db, manager, { csv, reason: REASON, dryRun: true });
		expect(dry).toMatchObject({ rows: 4, toAdd: 2, errorCount: 2 });
		expect(dry.errors).toEqual([
			{ line: 2, value: '555', message: expect.stringMatching(/^'555' is too short for a phone number/) },
			{ line: 4, value: 'call me maybe', message: expect.stringMatching(/^'call me maybe' is not a phone number/) }
		]);
		await expect(importConsent(t.db, manager, { csv, reason: REASON })).rejects.toMatchObject({
			code: 'IMPORT_INVALID',
			message: expect.stringMatching(/^2 rows need fixing, so nothing was imported; line 2: '555' is too short/),
			details: { report: { errorCount: 2 } }
		});
		const badChannel = 'phone,channel\n+16175550103,email';
		await expect(importConsent(t.db, manager, { csv: badChannel, reason: REASON })).rejects.toMatchObject({
			message: expect.stringMatching(/line 2: Channel 'email' must be sms, voice or all/)
		});
		expect(await ledger()).toBe(before);
	});

	it('refuses a missing reason, an empty file, a broken quote and a file too large, writing nothing', async () => {
		const before = await ledger();
		await expect(importConsent(t.db, manager, { csv: '+16175550109', reason: ' ' })).rejects.toMatchObject({
			code: 'INVALID_IMPORT',
			message: 'Give a reason for the import (at least 3 characters); it is kept with every entry.'
		});
		await expect(importConsent(t.db, manager, { csv: 'phone\n\n', reason: REASON })).rejects.toMatchObject({ code: 'EMPTY_IMPORT' });
		await expect(importConsent(t.db, manager, { csv: 'phone\n"+1617', reason: REASON })).rejects.toMatchObject({ code: 'INVALID_CSV' });
		await expect(importConsent(t.db, manager, { csv: '+16175550109\n'.repeat(5001), reason: REASON })).rejects.toMatchObject({
			code: 'IMPORT_TOO_LARGE',
			message: 'The file has 5,001 rows; import at most 5,000 at a time.'
		});
		await expect(importConsent(t.db, manager, { csv: 'x'.repeat(300 * 1024), reason: REASON })).rejects.toMatchObject({
			message: 'The file is larger than 256 KB; split it into smaller files.'
		});
		expect(await ledger()).toBe(before);
	});

	it('reads back its own CSV export (defused phone cells included)', async () => {
		await recordConsent(t.db, { phone: '+13125550177', channel: 'sms', action: 'opt_out', source: 'api', reason: 'from the CRM' });
		const exported = await exportConsentCsv(t.db, { phone: '+13125550177' });
		expect(exported).toContain(",'+13125550177,");
		const report = await importConsent(t.db, manager, { csv: exported, reason: 'Copy from the old system', channel: 'voice', dryRun: true });
		// The file's own channel column (sms) wins, and the number is already opted out of texts.
		expect(report).toMatchObject({ rows: 1, errorCount: 0, alreadyListed: 1, toAdd: 0 });
	});
});

describe('manual entries', () => {
	it('refuses an entry that changes nothing, saying why', async () => {
		const phone = '+17025550150';
		await addToDoNotContact(t.db, manager, { phone, channel: 'sms', reason: 'Asked on a call' });
		const before = await ledger();
		await expect(addToDoNotContact(t.db, manager, { phone, channel: 'sms', reason: 'Again' })).rejects.toMatchObject({
			kind: 'CONFLICT',
			code: 'ALREADY_LISTED',
			message: expect.stringMatching(/^\+1 702 555 0150 is already on the Do-Not-Contact list for texts \(since \d{4}-\d\d-\d\d\); nothing changed\.$/)
		});
		await expect(removeFromDoNotContact(t.db, manager, { phone, channel: 'voice', reason: 'Wrong list' })).rejects.toMatchObject({
			code: 'NOT_LISTED',
			message: '+1 702 555 0150 is not on the Do-Not-Contact list for calls; nothing to remove.'
		});
		expect(await ledger()).toBe(before);
		// Covering both channels still adds: calls were not on the list yet.
		await expect(addToDoNotContact(t.db, manager, { phone, channel: 'all', reason: 'No calls either' })).resolves.toMatchObject({ channel: 'all' });
	});
});
