/**
 * Gemini models the adapter is built for: current stable text models that take JSON-mode
 * requests with `responseJsonSchema`. Gemini 2.x models are retired (Google's deprecations
 * page: 2.0 shut down June 2026, 2.5 Flash/Pro December 2026) and previews are shut down
 * without much notice, so neither is accepted. Checked at start by env.ts.
 */
export const GEMINI_MODELS = ['gemini-3.8-flash', 'gemini-3.7-flash', 'gemini-3.6-flash', 'gemini-3.5-flash', 'gemini-3.5-flash-lite', 'gemini-3.1-flash-lite'] as const;

/** The newest stable Flash model (September 2026). */
export const DEFAULT_GEMINI_MODEL = 'gemini-3.8-flash';
