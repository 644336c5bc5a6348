/**
 * The production speech adapter over OpenAI's audio transcription endpoint. `whisper-1` is
 * asked for verbose JSON with timed segments; the gpt-4o transcribe models return text only.
 * Hints travel as the `prompt`, which biases spelling of names without forcing them.
 */
import OpenAI, { APIError, toFile } from 'openai';
import type { Config } from '../../env';
import { AdapterError } from '../errors';
import type { SpeechPort, Transcript, TranscribeInput } from './port';
import { assertTranscribeInput, audioFileName } from './shared';

export type OpenAiSpeechConfig = Omit<Extract<Config['speech'], { adapter: 'openai' }>, 'adapter'>;

export class OpenAiSpeech implements SpeechPort {
	readonly kind = 'openai';
	readonly #client: OpenAI;
	readonly #model: string;

	constructor(config: OpenAiSpeechConfig, options: { maxRetries?: number } = {}) {
		this.#model = config.model;
		this.#client = new OpenAI({
			apiKey: config.apiKey,
			// Explicit, so the SDK does not pick a base URL up from the environment by itself.
			baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
			maxRetries: options.maxRetries ?? 2,
			timeout: 120_000
		});
	}

	async transcribe(input: TranscribeInput): Promise<Transcript> {
		assertTranscribeInput(input);
		const file = await toFile(input.audio, audioFileName(input.contentType), { type: input.contentType });
		const common = {
			file,
			model: this.#model,
			...(input.language ? { language: input.language } : {}),
			...(input.hints?.length ? { prompt: input.hints.join(', ') } : {})
		};
		const engine = `openai/${this.#model}`;
		try {
			if (this.#model.startsWith('whisper')) {
				const res = await this.#client.audio.transcriptions.create({
					...common,
					response_format: 'verbose_json',
					timestamp_granularities: ['segment']
				});
				return {
					text: res.text.trim(),
					engine,
					segments: (res.segments ?? []).map((s) => ({ start: s.start, end: s.end, text: s.text.trim() }))
				};
			}
			const res = await this.#client.audio.transcriptions.create({ ...common, response_format: 'json' });
			return { text: res.text.trim(), engine };
		} catch (err) {
			if (err instanceof APIError && typeof err.status === 'number') {
				throw new AdapterError(`OpenAI refused to transcribe: ${err.message}`, {
					port: 'speech',
					adapter: 'openai',
					status: err.status,
					vendorCode: typeof err.code === 'string' ? err.code : undefined,
					cause: err
				});
			}
			const reason = err instanceof Error ? err.message : String(err);
			throw new AdapterError(`OpenAI could not be reached to transcribe: ${reason}`, { port: 'speech', adapter: 'openai', retryable: true, cause: err });
		}
	}
}
