/**
 * The language-AI twin. Grammar: harper.js (rules shipped inside the package) on its Node
 * WebAssembly binary, loaded on first use because it takes about two seconds. Structured
 * answers: the offline path is rules, not a model; `generateJson` runs the caller's `local`
 * function and validates its result with the same schema the real model must satisfy.
 */
import type { LocalLinter, SuggestionKind } from 'harper.js';
import { AdapterError } from '../errors';
import type { GenerateJsonInput, GrammarSuggestion, LanguageAiPort } from './port';
import { assertGrammarText, tidySuggestions } from './shared';
import { errorMessage } from '../../../errors';

export class LocalLanguageAi implements LanguageAiPort {
	readonly kind = 'local';
	/** The twin's rules read the transcript only. */
	readonly maxAudioBytes = 0;
	#linter: Promise<{ linter: LocalLinter; kinds: typeof SuggestionKind }> | undefined;

	#load(): Promise<{ linter: LocalLinter; kinds: typeof SuggestionKind }> {
		this.#linter ??= (async () => {
			const [{ LocalLinter, Dialect, SuggestionKind }, { binary }] = await Promise.all([import('harper.js'), import('harper.js/binary')]);
			const linter = new LocalLinter({ binary, dialect: Dialect.American });
			await linter.setup();
			return { linter, kinds: SuggestionKind };
		})().catch((err: unknown) => {
			this.#linter = undefined;
			throw new AdapterError(`harper.js could not start: ${errorMessage(err)}`, {
				port: 'languageAi',
				adapter: 'local',
				retryable: false,
				cause: err
			});
		});
		return this.#linter;
	}

	async checkGrammar(text: string): Promise<GrammarSuggestion[]> {
		assertGrammarText(text);
		if (!text.trim()) return [];
		const { linter, kinds } = await this.#load();
		const lints = await linter.lint(text, { language: 'plaintext' });
		const suggestions = lints.map((lint): GrammarSuggestion => {
			// harper.js reports spans as JavaScript (UTF-16) string indices already.
			const span = lint.span();
			const { start, end } = span;
			const problem = text.slice(start, end);
			const replacements = lint.suggestions().map((s) => {
				const replacement = s.get_replacement_text();
				const kind = s.kind();
				s.free();
				return kind === kinds.Remove ? '' : kind === kinds.InsertAfter ? problem + replacement : replacement;
			});
			const suggestion = { start, end, message: lint.message(), replacements };
			span.free();
			lint.free();
			return suggestion;
		});
		return tidySuggestions(suggestions);
	}

	async generateJson<T>(input: GenerateJsonInput<T>): Promise<T> {
		const value = await input.local({ system: input.system, prompt: input.prompt });
		const parsed = input.schema.safeParse(value);
		if (!parsed.success) {
			throw new AdapterError(`The offline rules returned an answer that does not fit the schema: ${parsed.error.message}`, {
				port: 'languageAi',
				adapter: 'local',
				vendorCode: 'INVALID_OUTPUT',
				retryable: false
			});
		}
		return parsed.data;
	}

	async close(): Promise<void> {
		const linter = this.#linter;
		this.#linter = undefined;
		if (linter) await (await linter.catch(() => null))?.linter.dispose();
	}
}
