/**
 * The local carrier's own account credentials as a way in to its scenario API, beside a staff
 * session: `npm run carrier` and the benches drive the carrier from a terminal, and the account
 * SID and auth token are a secret of this install (env or $DATA_DIR/local-secrets.json), the
 * same pair its Twilio REST paths accept.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface CarrierAccount {
	accountSid: string;
	authToken: string;
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value).digest();
}

/** Whether `authorization` is HTTP Basic with `account`'s SID and auth token. */
export function isCarrierAccount(authorization: string | null, account: CarrierAccount | null): boolean {
	if (!account || !authorization) return false;
	const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
	if (!m?.[1]) return false;
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const at = decoded.indexOf(':');
	if (at < 0) return false;
	const sidMatches = timingSafeEqual(digest(decoded.slice(0, at)), digest(account.accountSid));
	const tokenMatches = timingSafeEqual(digest(decoded.slice(at + 1)), digest(account.authToken));
	return sidMatches && tokenMatches;
}

/** The header value a carrier client sends. */
export function carrierAuthorization(account: CarrierAccount): string {
	return `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
}
