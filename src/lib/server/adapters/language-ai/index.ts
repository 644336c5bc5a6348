/** Picks the language-AI adapter from validated config: Gemini, or harper.js plus callers' rules. */
import type { Config } from '../../env';
import { GeminiLanguageAi } from './gemini';
import { LocalLanguageAi } from './local';
import type { LanguageAiPort } from './port';

export type * from './port';
export { LocalLanguageAi } from './local';

export function createLanguageAi(config: Config): LanguageAiPort {
	const l = config.languageAi;
	if (l.adapter === 'gemini') {
		const { adapter: _adapter, ...settings } = l;
		return new GeminiLanguageAi(settings);
	}
	return new LocalLanguageAi();
}
