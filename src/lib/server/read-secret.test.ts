import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret } from './read-secret';

/** A fake terminal: a stream that says it is a TTY and records raw mode. */
function terminal() {
	const input = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[] });
	Object.assign(input, { setRawMode: (mode: boolean) => input.raw.push(mode) });
	const written: string[] = [];
	const output = new PassThrough();
	output.on('data', (c: Buffer) => written.push(c.toString()));
	return { input, output, written };
}

describe('readSecret', () => {
	it('reads the first piped line without its line ending', async () => {
		expect(await readSecret(Readable.from(['a long pass', 'word\r\nsecond line\n']), new PassThrough(), 'Password: ')).toBe('a long password');
		expect(await readSecret(Readable.from(['no newline at all']), new PassThrough(), 'Password: ')).toBe('no newline at all');
	});

	it('reads a terminal in raw mode and echoes nothing of what is typed', async () => {
		const { input, output, written } = terminal();
		const secret = readSecret(input, output, 'Password: ');
		input.write('hunter2x\u007fyz');
		input.write('\r');
		expect(await secret).toBe('hunter2yz');
		expect(written.join('')).toBe('Password: \n');
		expect(input.raw).toEqual([true, false]);
	});

	it('gives up on Ctrl-C', async () => {
		const { input, output } = terminal();
		const secret = readSecret(input, output, 'Password: ');
		input.write('abc\u0003');
		await expect(secret).rejects.toThrow('Cancelled.');
	});
});
