/**
 * The webhook spool: verified carrier deliveries kept on disk, outside the database, while the
 * archive cannot take them (the fallback routes run exactly then). One file per delivery under
 * DATA_DIR/spool, named by its kind and sid, written to a temporary name, fsynced, then renamed
 * into place (and the directory fsynced), so a crash leaves either the whole file or none. A
 * file is never changed: replaying it (replay-spool.ts) is idempotent, and it is removed only
 * after the replay committed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TwilioParams } from './verify-twilio-request';

export const SPOOL_KINDS = ['voice.incoming', 'sms.inbound'] as const;
export type SpoolKind = (typeof SPOOL_KINDS)[number];

export interface SpooledDelivery {
	kind: SpoolKind;
	/** CallSid or MessageSid: one file per delivery, whichever URL carried it. */
	sid: string;
	receivedAt: string;
	/** The verified form, as the carrier signed it. */
	params: TwilioParams;
}

export function spoolDir(config: { dataDir: string }): string {
	return path.join(config.dataDir, 'spool');
}

const fileName = (d: Pick<SpooledDelivery, 'kind' | 'sid'>) => `${d.kind}.${d.sid.replace(/[^A-Za-z0-9]/g, '')}.json`;

async function fsyncDir(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Keep `delivery` durably (a repeat of the same sid replaces the file: it is the same event). Returns its path. */
export async function spoolDelivery(dir: string, delivery: SpooledDelivery): Promise<string> {
	await mkdir(dir, { recursive: true });
	const target = path.join(dir, fileName(delivery));
	const temp = path.join(dir, `.${fileName(delivery)}.${randomBytes(6).toString('hex')}.tmp`);
	const handle = await open(temp, 'wx', 0o600);
	try {
		await handle.writeFile(JSON.stringify(delivery));
		await handle.sync();
	} finally {
		await handle.close();
	}
	try {
		await rename(temp, target);
	} catch (error) {
		await rm(temp, { force: true });
		throw error;
	}
	await fsyncDir(dir);
	return target;
}

/** The spooled deliveries, oldest first (a STOP before the text after it). */
export async function readSpool(dir: string): Promise<{ file: string; delivery: SpooledDelivery }[]> {
	let names: string[];
	try {
		names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const entries = await Promise.all(
		names.map(async (name) => {
			const file = path.join(dir, name);
			try {
				return { file, delivery: JSON.parse(await readFile(file, 'utf8')) as SpooledDelivery };
			} catch (error) {
				if (!(error instanceof SyntaxError)) throw error;
				// Set aside (kept for an operator): one unreadable file must not stop every replay after it.
				await rename(file, `${file}.rejected`);
				return null;
			}
		})
	);
	return entries
		.filter((e): e is { file: string; delivery: SpooledDelivery } => e !== null)
		.sort((a, b) => String(a.delivery.receivedAt).localeCompare(String(b.delivery.receivedAt)));
}

/** Remove a replayed delivery (after its replay committed). */
export async function removeSpooled(file: string): Promise<void> {
	await rm(file, { force: true });
	await fsyncDir(path.dirname(file));
}
