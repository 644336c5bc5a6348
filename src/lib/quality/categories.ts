/**
 * The scorecard's five categories, their labels and the first version of the anchor
 * descriptions (what each score 1-5 means). Shared by the server, the grader and the form.
 */
export const SCORE_CATEGORIES = ['greeting', 'productKnowledge', 'problemResolution', 'professionalism', 'closing'] as const;
export type ScoreCategory = (typeof SCORE_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<ScoreCategory, string> = {
	greeting: 'Greeting',
	productKnowledge: 'Product knowledge',
	problemResolution: 'Problem resolution',
	professionalism: 'Professionalism',
	closing: 'Closing'
};

/** Per category, what each score 1..5 means (index 0 is score 1). */
export type AnchorSet = Record<ScoreCategory, [string, string, string, string, string]>;

export const DEFAULT_ANCHORS: AnchorSet = {
	greeting: [
		'No greeting: the agent starts on business or answers curtly.',
		'A bare hello; no company, no name, no offer of help.',
		'Greets and gives either the company or their own name.',
		'Greets, names the company and themself.',
		'Warm greeting naming the company and themself, and offers help.'
	],
	productKnowledge: [
		'Wrong or no answers; says they do not know and does not find out.',
		'Vague answers, several "I don\'t know"s, guesses.',
		'Answers the basics; some hesitation or one gap.',
		'Clear, specific answers to the questions asked.',
		'Specific, correct answers with the details (plans, steps, dates) the caller needs.'
	],
	problemResolution: [
		"The caller's issue is not addressed.",
		'The issue is discussed but left open with no next step.',
		'A workaround or a next step, not confirmed with the caller.',
		'Resolved, or clear next steps the caller agrees to.',
		'Resolved and confirmed working with the caller, with next steps stated.'
	],
	professionalism: [
		'Rude, dismissive or abusive language.',
		'Impatient; interrupts or blames the caller.',
		'Neutral and correct, little courtesy.',
		'Polite throughout, listens.',
		'Courteous and empathetic throughout; apologises where due, never interrupts.'
	],
	closing: [
		'The call just ends.',
		'A bare goodbye.',
		'Thanks the caller or offers more help, not both.',
		'Thanks the caller and offers more help.',
		'Summarises what was done, offers more help and thanks the caller.'
	]
};

/** Scores at or below this need written feedback for that category. */
export const FEEDBACK_REQUIRED_AT = 2;
