import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from './auth/auth';
import { signInWithPassword } from './auth/sign-in';
import { browserHeaders, testConfig } from './auth/test-helpers';
import { runCreateAdminCli } from './create-admin-cli';
import { user } from './db/schema/auth';
import { createTestDb, type TestDb } from './db/test-db';

let t: TestDb;
let auth: Auth;
beforeAll(async () => {
	t = await createTestDb();
	auth = createAuth(t.db, testConfig());
});
afterAll(() => t.close());

const PASSWORD = 'a long admin passphrase';
const env = {
	PGLITE_DIR: 'memory://',
	DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-create-admin-')),
	AUTH_SECRET: 'create-admin-test-secret-at-least-32-chars',
	LOG_LEVEL: 'silent'
};

async function run(argv: string[], password = PASSWORD) {
	const out: string[] = [];
	const prompts: string[] = [];
	const code = await runCreateAdminCli(argv, {
		env,
		print: (line) => out.push(line),
		readPassword: (prompt) => {
			prompts.push(prompt);
			return Promise.resolve(password);
		},
		// The test's archive stays open after the command closes "its" database.
		open: () => Promise.resolve({ ...t.database, close: () => Promise.resolve() })
	});
	return { code, out: out.join('\n'), prompts };
}

const rowsFor = (email: string) => t.db.select({ role: user.role, name: user.name }).from(user).where(eq(user.email, email));

describe('npm run create-admin', () => {
	it('creates an admin who signs in with the prompted password, which is never printed', async () => {
		const result = await run(['--email', 'Owner@Example.com', '--name', 'Pat Owner']);
		expect(result.code).toBe(0);
		expect(result.prompts).toEqual(['Password for Owner@Example.com (at least 12 characters): ']);
		expect(result.out).toBe('Created admin owner@example.com (Pat Owner). Sign in at http://localhost:3000/login.');
		expect(result.out).not.toContain(PASSWORD);
		expect(await rowsFor('owner@example.com')).toEqual([{ role: 'admin', name: 'Pat Owner' }]);
		const signedIn = await signInWithPassword(auth, { email: 'owner@example.com', password: PASSWORD, headers: browserHeaders() });
		expect(signedIn.ok).toBe(true);
	});

	it('refuses an existing email and leaves that account as it was', async () => {
		await run(['--email', 'taken@example.com']);
		const again = await run(['--email', 'TAKEN@example.com', '--name', 'Someone Else'], 'another long password');
		expect(again.code).toBe(1);
		expect(again.out).toBe('taken@example.com already has an account. Nothing was created.');
		expect(await rowsFor('taken@example.com')).toEqual([{ role: 'admin', name: 'Administrator' }]);
	});

	it('refuses a short password and a malformed email, creating nothing', async () => {
		const short = await run(['--email', 'short@example.com'], 'eleven-char');
		expect(short.code).toBe(1);
		expect(short.out).toBe('The admin password must be at least 12 characters long. Nothing was created.');
		expect(short.out).not.toContain('eleven-char');
		expect(await rowsFor('short@example.com')).toEqual([]);
		const malformed = await run(['--email', 'not-an-email']);
		expect(malformed.code).toBe(1);
		expect(malformed.out).toBe('"not-an-email" is not an email address. Nothing was created.');
	});

	it('explains its usage without asking for a password when the arguments are wrong', async () => {
		const missing = await run([]);
		expect(missing.code).toBe(2);
		expect(missing.out).toMatch(/^--email is required\./);
		expect(missing.prompts).toEqual([]);
		const unknown = await run(['--email', 'x@example.com', '--password', 'on-the-command-line']);
		expect(unknown.code).toBe(2);
		expect(unknown.out).toContain("Unknown option '--password'");
		expect(unknown.prompts).toEqual([]);
	});

	it('stops on invalid configuration with the message that says what to fix', async () => {
		const out: string[] = [];
		const code = await runCreateAdminCli(['--email', 'a@example.com'], {
			env: { ...env, NODE_ENV: 'production', TELEPHONY: 'twilio', AUTH_SECRET: '' },
			print: (line) => out.push(line),
			readPassword: () => Promise.reject(new Error('must not be asked'))
		});
		expect(code).toBe(2);
		expect(out.join('\n')).toMatch(/AUTH_SECRET is required in production/);
	});
});
