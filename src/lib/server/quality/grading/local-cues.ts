/**
 * What the offline grader listens for, by category: phrases that mean a thing was done (or
 * done badly), written from what each category means rather than from any one script.
 * Matched against normalised text (lower case, no punctuation, no apostrophes).
 */
const any = (...patterns: string[]) => new RegExp(`\\b(?:${patterns.join('|')})\\b`);

export const CUES = {
	hello: any('hello', 'hi', 'hey', 'good (?:morning|afternoon|evening|day)', 'thanks? (?:you )?for (?:calling|contacting|choosing|holding)', 'welcome to', 'greetings'),
	company: any(
		'(?:calling|contacting|choosing) (?!(?:me|us|back|today|again|about|for|in|to|because|regarding|with|now|so|and|but|you|from|on|at|me)\\b)\\w+',
		'welcome to \\w+',
		'you(?:ve| have) reached \\w+',
		'(?:this is|here at|from|with) \\w+ (?:support|customer|service|services|help ?desk|helpdesk|billing|care|technical|tech|team|bank|broadband|telecom|energy|insurance|airlines?|mobile|internet)'
	),
	agentName: any(
		'my names? is \\w+',
		'(?:this is|its) (?!the\\b|a\\b|an\\b|about\\b|your\\b|my\\b|not\\b|just\\b|so\\b|really\\b|very\\b|what\\b|how\\b|it\\b)\\w+ (?:speaking|here|from|at|with|on)',
		'\\w+ speaking',
		'you(?:re| are) (?:speaking|talking) (?:to|with) \\w+',
		'im (?!sorry|afraid|going|not|just|here|calling|happy|glad|sure|checking|looking|unable|able|so|really|very|still|trying|on|the|a|an|getting|seeing|transferring|putting|sending|pleased|delighted|told|gonna|afraid)\\w+(?: and| from| at| with| i| how| your)'
	),
	offerHelp: any('how (?:can|may|could|might) (?:i|we) (?:help|assist)', 'what can (?:i|we) (?:do|help)', 'how can (?:i|we) be of', 'help you (?:with|today)', 'assist you', 'what brings you'),
	dontKnow: any(
		'i (?:dont|do not) know',
		'no idea',
		'not (?:really )?sure',
		'no clue',
		'(?:cant|cannot|can not) help (?:you )?with that',
		'not my (?:department|job|area|problem)',
		'beats me',
		'i (?:have|got) no (?:idea|clue)',
		'never heard of'
	),
	hedge: any('i guess', 'maybe', 'probably', 'i think', 'might be', 'could be', 'perhaps', 'sort of', 'kind of', 'or something'),
	findOut: any('let me (?:check|find out|look|confirm|verify)', 'ill (?:check|find out|look into|confirm)', 'i can check'),
	specific: any(
		'\\d+',
		'(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|hundred) (?:dollars?|pounds?|euros?|days?|hours?|minutes?|weeks?|months?|gigabytes?|megabytes?|percent)',
		'(?:go|going) to (?:the )?\\w+',
		'click',
		'tap',
		'select',
		'settings',
		'menu',
		'restart',
		'reboot',
		'unplug',
		'plug',
		'reset',
		'update',
		'firmware',
		'router',
		'modem',
		'password',
		'account',
		'invoice',
		'bill(?:ing)?',
		'plan',
		'refund',
		'credit',
		'warranty',
		'subscription',
		'app',
		'browser',
		'cache',
		'because',
		'which means',
		'that means',
		'the reason',
		'i can see',
		'(?:your|the) (?:account|order|device|system) (?:shows|says)',
		'(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)',
		'(?:january|february|march|april|may|june|july|august|september|october|november|december)'
	),
	fixedByCustomer: any(
		'(?:its|it is|thats|that is|everything is|everythings) (?:working|fixed|sorted|resolved|back|fine now|good now|perfect)',
		'(?:works|working) (?:now|again|fine|perfectly)',
		'that (?:fixed|solved|sorted|did) (?:it|the)',
		'that worked',
		'problem solved',
		'(?:its|it is|im) (?:all )?(?:sorted|connected|back online|up and running)',
		'i can see it now',
		'i got it',
		'i received it'
	),
	confirmAsk: any('(?:is|does) (?:it|that|everything) (?:work|working|look|fixed|sorted)', 'can you (?:confirm|check|see)', 'did that (?:work|fix|help)', 'is that (?:working|better|fixed)'),
	action: any(
		'(?:ive|i have|ill|i will|we will|well|weve|we have) (?:scheduled|booked|raised|escalated|created|sent|issued|processed|refunded|credited|applied|reset|updated|changed|fixed|arranged|added|cancelled|canceled|logged|opened|submitted|restored|activated|replaced|upgraded|waived|reversed|set up|send|schedule|book|raise|escalate|process|refund|credit|apply|reset|update|arrange|call you|email|follow up)',
		'you(?:ll| will) (?:receive|get|see|have)',
		'within (?:\\d+|one|two|three|four|five|seven|ten|twenty four|forty eight) (?:hours?|days?|business days|working days|minutes)',
		'(?:a |the )?(?:technician|engineer|replacement|new \\w+) (?:will|is)',
		'(?:ticket|reference|case|confirmation) (?:number|id)',
		'next steps?'
	),
	workaround: any(
		'(?:try|you could|you can|you should|you might want to|you may want to|id suggest|i suggest|i recommend) (?!(?:not|to)\\b)(?:try )?\\w+',
		'in the meantime',
		'workaround'
	),
	agreement: any('okay', 'ok', 'sounds good', 'great', 'perfect', 'thank you', 'thanks', 'brilliant', 'that works', 'alright', 'all right', 'lovely', 'fine'),
	unresolved: any(
		'still (?:not|doesnt|isnt|broken|down|the same|having|no)',
		'(?:didnt|did not|doesnt|does not) (?:help|work|fix)',
		'not (?:working|fixed|resolved)',
		'so what (?:do|am) i',
		'youre not helping',
		'waste of (?:my )?time',
		'nothing (?:i|we) can do',
		'(?:you|youll) (?:have|need) to call (?:back|again|someone else)',
		'not possible',
		'(?:cant|cannot) (?:do|fix|change) (?:that|anything|it)'
	),
	rude: any(
		'whatever',
		'stupid',
		'idiot',
		'dumb',
		'shut up',
		'calm down',
		'not my (?:problem|fault)',
		'your (?:own )?fault',
		'obviously',
		'as i (?:already )?(?:said|told you)',
		'i (?:already )?told you',
		'listen to me',
		'what do you want',
		'hurry up',
		'seriously',
		'ugh',
		'damn',
		'crap',
		'hell',
		'bloody',
		'pay attention',
		'are you even',
		'read the manual',
		'figure it out',
		'deal with it',
		'i dont care',
		'not my job',
		'get to the point'
	),
	interruptedComplaint: any('let me finish', 'can i finish', 'stop interrupting', 'youre not listening', 'you (?:keep )?interrupt', 'you cut me off', 'i wasnt finished', 'let me speak'),
	courtesy: any('please', 'thank you', 'thanks', 'certainly', 'of course', 'my pleasure', 'happy to', 'glad to', 'no problem', 'absolutely', 'appreciate'),
	empathy: any('sorry', 'apologi[sz]e', 'apologies', 'i understand', 'i can understand', 'that must be', 'i appreciate', 'frustrating', 'i hear you', 'i know how'),
	summary: any(
		'(?:so )?(?:to )?(?:recap|summari[sz]e|sum up)',
		'just to confirm',
		'(?:so )?(?:today )?(?:weve|we have|ive|i have) (?:reset|updated|fixed|changed|scheduled|booked|sent|processed|refunded|credited|applied|arranged|sorted|set up|cancelled|canceled|replaced|upgraded|restored|resolved|raised|escalated)',
		'as (?:we )?discussed',
		'so (?:youll|you will|you should|your)'
	),
	moreHelp: any('anything else', 'any(?:thing)? more i can', 'any other (?:questions?|issues?|problems?|concerns?)', 'something else i can', 'help you with (?:anything|something) else', 'is that everything', 'else i can (?:help|do|assist)'),
	thanks: any('thank you', 'thanks', 'appreciate (?:your|you)', 'cheers'),
	goodbye: any('bye', 'goodbye', 'have a (?:good|great|nice|lovely|wonderful)', 'take care', 'all the best')
} as const;

export type Cue = keyof typeof CUES;
