import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './env';
import { readLocalCarrierAccount, resolveLocalSecrets } from './local-secrets';

describe("the local carrier's account for npm run carrier", () => {
	it('reads the pair the server generated into DATA_DIR, or the environment when it sets both', async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-secrets-'));
		expect(await readLocalCarrierAccount({ DATA_DIR: dataDir })).toBeNull();
		const config = await resolveLocalSecrets(parseConfig({ DATA_DIR: dataDir }));
		const server = config.telephony.adapter === 'local' ? config.telephony : null;
		expect(await readLocalCarrierAccount({ DATA_DIR: dataDir })).toEqual({ accountSid: server?.accountSid, authToken: server?.authToken });
		const fromEnv = { TWILIO_ACCOUNT_SID: `AC${'3'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'env-token', DATA_DIR: dataDir };
		expect(await readLocalCarrierAccount(fromEnv)).toEqual({ accountSid: fromEnv.TWILIO_ACCOUNT_SID, authToken: 'env-token' });
	});
});
