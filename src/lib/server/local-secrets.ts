/**
 * In local mode Switchboard needs secrets (session signing, the carrier's auth token) without
 * anyone setting them. They are generated once and kept in DATA_DIR, never in the repo; an
 * in-memory database gets fresh ones per process.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './env';

interface LocalSecrets {
	authSecret: string;
	twilioAccountSid: string;
	twilioAuthToken: string;
}

function generate(): LocalSecrets {
	return {
		authSecret: randomBytes(32).toString('base64url'),
		twilioAccountSid: `AC${randomBytes(16).toString('hex')}`,
		twilioAuthToken: randomBytes(16).toString('hex')
	};
}

async function load(config: Config): Promise<LocalSecrets> {
	const inMemory = config.database.driver === 'pglite' && config.database.dir.startsWith('memory');
	if (inMemory) return generate();
	const file = path.join(config.dataDir, 'local-secrets.json');
	try {
		return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
	} catch {
		const secrets = generate();
		await mkdir(config.dataDir, { recursive: true });
		await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
		return secrets;
	}
}

/**
 * The local carrier's account as a terminal on the same machine finds it (`npm run carrier`):
 * TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN when both are set, else the pair the server generated
 * into $DATA_DIR/local-secrets.json (default ./data); null when neither is there (an in-memory
 * archive keeps its generated pair to itself).
 */
export async function readLocalCarrierAccount(env: Record<string, string | undefined>): Promise<{ accountSid: string; authToken: string } | null> {
	const sid = env.TWILIO_ACCOUNT_SID?.trim();
	const token = env.TWILIO_AUTH_TOKEN?.trim();
	if (sid && token) return { accountSid: sid, authToken: token };
	try {
		const stored = JSON.parse(await readFile(path.join(env.DATA_DIR?.trim() || './data', 'local-secrets.json'), 'utf8')) as Partial<LocalSecrets>;
		return stored.twilioAccountSid && stored.twilioAuthToken ? { accountSid: stored.twilioAccountSid, authToken: stored.twilioAuthToken } : null;
	} catch {
		return null;
	}
}

/** Fill unset local-mode secrets; a production config passes through unchanged. */
export async function resolveLocalSecrets(config: Config): Promise<Config> {
	const needsAuth = !config.authSecret;
	const needsTwilio = config.telephony.adapter === 'local' && (!config.telephony.accountSid || !config.telephony.authToken);
	if (!needsAuth && !needsTwilio) return config;
	const secrets = await load(config);
	return {
		...config,
		authSecret: config.authSecret ?? secrets.authSecret,
		telephony:
			config.telephony.adapter === 'local'
				? {
						adapter: 'local',
						accountSid: config.telephony.accountSid ?? secrets.twilioAccountSid,
						authToken: config.telephony.authToken ?? secrets.twilioAuthToken
					}
				: config.telephony
	};
}
