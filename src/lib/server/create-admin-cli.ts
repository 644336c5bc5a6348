/**
 * `npm run create-admin -- --email a@b.c [--name "Pat Lee"]`: create an admin in the archive
 * the app uses (DATABASE_URL, or PGlite in DATA_DIR), with the app's validated configuration.
 * The password is asked for, never taken as an argument (it would sit in the shell history and
 * the process list), and never printed or logged.
 */
import { parseArgs } from 'node:util';
import { createAuth } from './auth/auth';
import { ADMIN_PASSWORD_MIN_LENGTH, createAdmin } from './auth/create-admin';
import { openDatabase, type Database } from './db/client';
import { ConfigError, parseConfig, type Config } from './env';
import { AppError } from './errors';
import { resolveLocalSecrets } from './local-secrets';
import { setLogLevel } from './log';
import { errorMessage } from '../errors';

const USAGE = `Usage: npm run create-admin -- --email admin@example.com [--name "Pat Lee"]

Creates an admin account in Switchboard's archive (DATABASE_URL, or the embedded PGlite in
DATA_DIR: stop the server first, PGlite allows one process at a time). The password (at least
${ADMIN_PASSWORD_MIN_LENGTH} characters) is asked for on a terminal without echo, or read from the
first line of standard input when piped: printf '%s\\n' "$PASSWORD" | npm run create-admin -- --email ...`;

export interface CreateAdminCliIo {
	env: Record<string, string | undefined>;
	print(line: string): void;
	/** The password: prompted without echo on a terminal, else standard input's first line. */
	readPassword(prompt: string): Promise<string>;
	/** Opens the archive; tests pass their own. */
	open?: (database: Config['database']) => Promise<Database>;
}

function parse(argv: string[]): { email: string; name: string | undefined } | { exit: number; message: string } {
	let values;
	try {
		values = parseArgs({ args: argv, options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
	} catch (err) {
		return { exit: 2, message: `${errorMessage(err)}\n\n${USAGE}` };
	}
	if (values.help) return { exit: 0, message: USAGE };
	if (!values.email) return { exit: 2, message: `--email is required.\n\n${USAGE}` };
	return { email: values.email, name: values.name };
}

export async function runCreateAdminCli(argv: string[], io: CreateAdminCliIo): Promise<number> {
	const args = parse(argv);
	if ('exit' in args) {
		io.print(args.message);
		return args.exit;
	}
	let config: Config;
	try {
		config = await resolveLocalSecrets(parseConfig(io.env));
	} catch (err) {
		if (!(err instanceof ConfigError)) throw err;
		io.print(err.message);
		return 2;
	}
	setLogLevel(config.logLevel === 'debug' ? 'debug' : 'warn');
	let password: string;
	try {
		password = await io.readPassword(`Password for ${args.email} (at least ${ADMIN_PASSWORD_MIN_LENGTH} characters): `);
	} catch (err) {
		io.print(`${errorMessage(err)} Nothing was created.`);
		return 1;
	}
	if (password.length < ADMIN_PASSWORD_MIN_LENGTH) {
		io.print(`The admin password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters long. Nothing was created.`);
		return 1;
	}
	let database: Database | undefined;
	try {
		database = await (io.open ?? openDatabase)(config.database);
		const admin = await createAdmin(createAuth(database.db, config), database.db, { email: args.email, name: args.name, password });
		io.print(`Created admin ${admin.email} (${admin.name}). Sign in at ${config.publicBaseUrl}/login.`);
		return 0;
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		io.print(`${err.message} Nothing was created.`);
		return 1;
	} finally {
		await database?.close();
	}
}
