/** `npm run create-admin -- --email a@b.c [--name ...]`: an admin account, password prompted (see --help). */
import { runCreateAdminCli } from '../src/lib/server/create-admin-cli';
import { readSecret } from '../src/lib/server/read-secret';

const code = await runCreateAdminCli(process.argv.slice(2), {
	env: process.env,
	print: (line) => console.log(line),
	// The prompt goes to stderr so stdout carries only the result.
	readPassword: (prompt) => readSecret(process.stdin, process.stderr, prompt)
});
process.exit(code);
