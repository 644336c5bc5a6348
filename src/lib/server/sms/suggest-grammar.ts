/**
 * Grammar and spelling suggestions for a draft text, through the LanguageAI port (harper.js
 * offline, Gemini in production). Advice only: the composer asks while the agent types and
 * ignores a failure, and nothing in the send path waits for it.
 */
import type { GrammarSuggestion, LanguageAiPort } from '../adapters/language-ai';
import { SMS_BODY_MAX } from '../../sms/limits';
import { AppError, badRequest } from '../errors';
import { logger } from '../log';

/** Enough choices for a menu; more only crowd it. */
const MAX_REPLACEMENTS = 3;

const log = logger('sms');

export async function suggestGrammar(languageAi: Pick<LanguageAiPort, 'checkGrammar'>, text: string): Promise<GrammarSuggestion[]> {
	if (text.length > SMS_BODY_MAX) {
		throw badRequest('BODY_TOO_LONG', `Suggestions cover one text of at most ${SMS_BODY_MAX} characters.`);
	}
	if (text.trim() === '') return [];
	try {
		const found = await languageAi.checkGrammar(text);
		return found.map((s) => ({ ...s, replacements: s.replacements.slice(0, MAX_REPLACEMENTS) }));
	} catch (error) {
		log.warn('sms: grammar suggestions failed', { error: String(error) });
		throw new AppError('BAD_REQUEST', 'SUGGESTIONS_UNAVAILABLE', 'Spelling and grammar suggestions are unavailable right now; you can still send.');
	}
}
