/**
 * A secret from the person at the terminal, never echoed: on a TTY the keys are read in raw mode
 * and nothing is written back; when standard input is piped, its first line. Used by
 * `npm run create-admin` for the password.
 */
import type { Readable, Writable } from 'node:stream';

/** The first line of a piped stream, without its line ending. */
export async function readFirstLine(input: Readable): Promise<string> {
	let text = '';
	for await (const chunk of input) {
		text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
		if (text.includes('\n')) break;
	}
	return (text.split('\n', 1)[0] ?? '').replace(/\r$/, '');
}

interface Tty extends Readable {
	isTTY?: boolean;
	setRawMode?(mode: boolean): unknown;
}

/** Prompt on `output` and read keys from a TTY without echo, until Enter; Ctrl-C or Ctrl-D abandon it. */
function readHidden(input: Tty, output: Writable, prompt: string): Promise<string> {
	output.write(prompt);
	input.setRawMode?.(true);
	input.resume();
	return new Promise((resolve, reject) => {
		let secret = '';
		const done = (error?: Error) => {
			input.off('data', onData);
			input.setRawMode?.(false);
			input.pause();
			output.write('\n');
			if (error) reject(error);
			else resolve(secret);
		};
		const onData = (chunk: Buffer) => {
			for (const char of chunk.toString('utf8')) {
				if (char === '\r' || char === '\n') return done();
				if (char === '\u0003' || char === '\u0004') return done(new Error('Cancelled.'));
				if (char === '\u007f' || char === '\b') secret = secret.slice(0, -1);
				else if (char >= ' ') secret += char;
			}
		};
		input.on('data', onData);
	});
}

/** A secret from `input`: hidden typing on a terminal, else the first piped line. */
export function readSecret(input: Tty, output: Writable, prompt: string): Promise<string> {
	return input.isTTY ? readHidden(input, output, prompt) : readFirstLine(input);
}
