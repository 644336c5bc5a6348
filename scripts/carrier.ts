/**
 * `npm run carrier -- <command>`: drive the local carrier of a running Switchboard (see --help).
 * /carrier needs a staff session or the carrier's own account SID and auth token as Basic
 * credentials; this sends the latter, from the environment or the server's $DATA_DIR.
 */
import { runCarrierCli } from '../src/lib/server/adapters/telephony/carrier/cli';
import { carrierAuthorization } from '../src/lib/server/auth/carrier-client';
import { readLocalCarrierAccount } from '../src/lib/server/local-secrets';

const account = await readLocalCarrierAccount(process.env);
const authorizedFetch: typeof fetch = async (input, init) => {
	const headers = new Headers(init?.headers);
	if (account) headers.set('authorization', carrierAuthorization(account));
	const res = await fetch(input, { ...init, headers });
	if (res.status === 401) {
		console.error(
			account
				? 'The carrier refused these credentials: run this with the same TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN (or DATA_DIR) as the server.'
				: 'No carrier credentials found: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the server\'s, or run this where the server keeps DATA_DIR (default ./data).'
		);
	}
	return res;
};

const code = await runCarrierCli(process.argv.slice(2), { fetch: authorizedFetch, print: (line) => console.log(line) });
process.exit(code);
