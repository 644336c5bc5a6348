/**
 * Generated speech for accuracy tests and the bench: espeak-ng speaks known text, sox brings it to
 * what a phone recording is (8 kHz, 16-bit mono WAV). Test code only.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A line of a support call, as an agent or a customer says it (not verbatim in the call-center model). */
export const CALL_SCRIPT: { speaker: 'agent' | 'customer'; text: string }[] = [
	{ speaker: 'agent', text: 'Hello, thank you for calling Switchboard, my name is Alice. How can I help you today?' },
	{ speaker: 'customer', text: 'Hi, I am calling about my order, it has not arrived yet.' },
	{ speaker: 'agent', text: 'I am sorry to hear that. Can I have your order number please?' },
	{ speaker: 'customer', text: 'My name is Zoe Miller and I would like a refund please.' },
	{ speaker: 'agent', text: 'Thank you, I can see the order was shipped. It should arrive tomorrow.' },
	{ speaker: 'customer', text: 'Great, that is all I needed. Thanks for your help, goodbye.' }
];

/** `text` spoken by espeak-ng as 8 kHz 16-bit mono WAV, with its length in seconds. */
export async function speakAsPhone(text: string): Promise<{ audio: Uint8Array; seconds: number }> {
	const dir = await mkdtemp(path.join(tmpdir(), 'sb-say-'));
	try {
		const wide = path.join(dir, 'wide.wav');
		const phone = path.join(dir, 'phone.wav');
		await run('espeak-ng', ['-w', wide, '-s', '165', '--', text]);
		await run('sox', [wide, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', phone]);
		const audio = new Uint8Array(await readFile(phone));
		return { audio, seconds: (audio.byteLength - 44) / 16_000 };
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
