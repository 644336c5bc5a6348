/** Picks the speech adapter from validated config: OpenAI, or pocketsphinx on this machine. */
import type { Config } from '../../env';
import { LocalSpeech } from './local';
import { OpenAiSpeech } from './openai';
import type { SpeechPort } from './port';

export type * from './port';
export { LocalSpeech } from './local';

export function createSpeech(config: Config): SpeechPort {
	const s = config.speech;
	if (s.adapter === 'openai') {
		const { adapter: _adapter, ...settings } = s;
		return new OpenAiSpeech(settings);
	}
	return new LocalSpeech();
}
