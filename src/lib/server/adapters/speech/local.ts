/**
 * The speech twin: Debian's pocketsphinx (`pocketsphinx_continuous`, US English model) after
 * sox has resampled the audio to 16 kHz mono 16-bit, the only form the model accepts. By
 * default it decodes against a call-center language model (see call-center-lm.ts); the
 * general English model is available but far less accurate. English only; install with
 * `apt-get install pocketsphinx pocketsphinx-en-us sox` (scripts/setup.sh).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { badRequest } from '../../errors';
import { AdapterError } from '../errors';
import { buildCallCenterModel } from './call-center-lm';
import type { SpeechPort, Transcript, TranscribeInput, TranscriptSegment } from './port';
import { assertTranscribeInput, audioFileName } from './shared';

const run = promisify(execFile);

export interface LocalSpeechOptions {
	/** `call-center` (default): the built-in phrase model plus hints; `general`: pocketsphinx's own English model. */
	languageModel?: 'call-center' | 'general';
	/** Folder of the pocketsphinx-en-us model. */
	modelDir?: string;
	pocketsphinxBin?: string;
	soxBin?: string;
	/** Give up on one file after this long, or three times the audio's length when that is longer. */
	timeoutMs?: number;
}

const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const SOX_INPUTS = new Set(['wav', 'flac', 'ogg', 'au']);

function engineError(message: string, cause?: unknown): AdapterError {
	return new AdapterError(message, { port: 'speech', adapter: 'local', retryable: false, cause });
}

/** Read `pocketsphinx_continuous -time yes` output: one `word start end confidence` line per word. */
export function parsePocketsphinxTimes(stdout: string): { text: string; segments: TranscriptSegment[] } {
	const segments: TranscriptSegment[] = [];
	let current: { start: number; end: number; words: string[] } | null = null;
	for (const line of stdout.split('\n')) {
		const parts = line.trim().split(/\s+/);
		if (parts.length !== 4 || !parts.slice(1).every((p) => /^-?\d+(\.\d+)?$/.test(p))) continue;
		const [token, start, end] = [parts[0]!, Number(parts[1]), Number(parts[2])];
		if (token === '<s>') {
			current = { start, end, words: [] };
		} else if (token === '</s>') {
			if (current?.words.length) segments.push({ start: current.start, end: current.end, text: current.words.join(' ') });
			current = null;
		} else if (current && !/^(<.*>|\[.*\])$/.test(token)) {
			if (!current.words.length) current.start = start;
			current.words.push(token.replace(/\(\d+\)$/, ''));
			current.end = end;
		}
	}
	return { text: segments.map((s) => s.text).join(' '), segments };
}

export class LocalSpeech implements SpeechPort {
	readonly kind = 'local';
	readonly #options: Required<LocalSpeechOptions>;
	#dictionary: Promise<Map<string, string[]>> | undefined;

	constructor(options: LocalSpeechOptions = {}) {
		this.#options = {
			languageModel: options.languageModel ?? 'call-center',
			modelDir: options.modelDir ?? DEFAULT_MODEL_DIR,
			pocketsphinxBin: options.pocketsphinxBin ?? 'pocketsphinx_continuous',
			soxBin: options.soxBin ?? 'sox',
			timeoutMs: options.timeoutMs ?? 120_000
		};
	}

	get #dictPath(): string {
		return path.join(this.#options.modelDir, 'cmudict-en-us.dict');
	}

	/** The CMU dictionary as word -> its pronunciation lines, read once. */
	#pronunciations(): Promise<Map<string, string[]>> {
		this.#dictionary ??= readFile(this.#dictPath, 'utf8').then(
			(text) => {
				const map = new Map<string, string[]>();
				for (const line of text.split('\n')) {
					const word = line.slice(0, line.indexOf(' ')).replace(/\(\d+\)$/, '');
					if (!word) continue;
					const lines = map.get(word);
					if (lines) lines.push(line);
					else map.set(word, [line]);
				}
				return map;
			},
			(err: unknown) => {
				this.#dictionary = undefined;
				throw engineError(
					`The pocketsphinx English model is missing at ${this.#options.modelDir}: install it with apt-get install pocketsphinx-en-us (or npm run setup).`,
					err
				);
			}
		);
		return this.#dictionary;
	}

	async transcribe(input: TranscribeInput): Promise<Transcript> {
		assertTranscribeInput(input);
		if (input.language && input.language !== 'en') {
			throw badRequest('UNSUPPORTED_LANGUAGE', `The offline recogniser knows English only, not "${input.language}"; use SPEECH=openai for other languages.`);
		}
		const name = audioFileName(input.contentType);
		if (!SOX_INPUTS.has(name.split('.')[1] ?? '')) {
			throw badRequest('UNSUPPORTED_AUDIO', `The offline recogniser cannot decode ${input.contentType}; give it WAV, FLAC or Ogg (Twilio recordings: fetch the .wav).`);
		}
		const dir = await mkdtemp(path.join(tmpdir(), 'sb-speech-'));
		try {
			const source = path.join(dir, name);
			const resampled = path.join(dir, 'speech-16k.wav');
			await writeFile(source, input.audio);
			await this.#exec(this.#options.soxBin, await this.#toModelRate(source, resampled), 'sox', true);

			const args = ['-infile', resampled, '-hmm', path.join(this.#options.modelDir, 'en-us'), '-time', 'yes', '-logfn', '/dev/null'];
			if (this.#options.languageModel === 'call-center') {
				// A dictionary of just the model's words: loading all 134k entries costs seconds per file.
				const dictionary = await this.#pronunciations();
				const { arpa, words } = buildCallCenterModel(input.hints ?? [], (w) => dictionary.has(w));
				const entries = words.flatMap((w) => dictionary.get(w) ?? []);
				await writeFile(path.join(dir, 'call-center.lm'), arpa);
				await writeFile(path.join(dir, 'call-center.dict'), `${entries.join('\n')}\n`);
				args.push('-lm', path.join(dir, 'call-center.lm'), '-dict', path.join(dir, 'call-center.dict'));
			} else {
				args.push('-lm', path.join(this.#options.modelDir, 'en-us.lm.bin'), '-dict', this.#dictPath);
			}
			// 16 kHz 16-bit mono: 32,000 bytes a second. Decoding runs near real time, slower on a busy box.
			const seconds = ((await stat(resampled)).size - 44) / 32_000;
			const stdout = await this.#exec(this.#options.pocketsphinxBin, args, 'pocketsphinx', false, Math.max(this.#options.timeoutMs, seconds * 3000));
			const { text, segments } = parsePocketsphinxTimes(stdout);
			return { text, engine: `pocketsphinx/${this.#options.languageModel}`, segments, language: 'en' };
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	}

	/**
	 * sox arguments that make `source` 16 kHz mono 16-bit. Telephone audio (8 kHz) is doubled by
	 * inserting zeros (sox `upsample 2`), not resampled: resampling leaves nothing above 4 kHz, where
	 * the 16 kHz model expects fricatives, and it then recognises almost nothing (99% of the words of
	 * generated 8 kHz call audio missed); the mirrored image above 4 kHz that zero-stuffing leaves
	 * stands in for that band (about 70% missed, as on the same speech at full bandwidth).
	 */
	async #toModelRate(source: string, target: string): Promise<string[]> {
		const rate = Number((await this.#exec(this.#options.soxBin, ['--i', '-r', source], 'sox', true)).trim());
		const tail = ['-c', '1', '-b', '16', '-e', 'signed-integer'];
		if (rate === 8000) return [source, '-r', '16000', ...tail, target, 'upsample', '2'];
		return [source, '-r', '16000', ...tail, target];
	}

	async #exec(bin: string, args: string[], what: string, decodesInput: boolean, timeout = this.#options.timeoutMs): Promise<string> {
		try {
			const { stdout } = await run(bin, args, { timeout, maxBuffer: 16 * 1024 * 1024 });
			return stdout;
		} catch (err) {
			const e = err as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
			if (e.code === 'ENOENT') {
				throw engineError(`${bin} is not installed: apt-get install pocketsphinx pocketsphinx-en-us sox (or npm run setup).`, err);
			}
			if (decodesInput) {
				throw badRequest('UNSUPPORTED_AUDIO', `The audio could not be decoded (${what}: ${(e.stderr ?? e.message).trim().split('\n').pop()}).`);
			}
			throw engineError(`${what} failed${e.killed ? ' (timed out)' : ''}: ${(e.stderr ?? e.message).trim().split('\n').pop()}`, err);
		}
	}
}
