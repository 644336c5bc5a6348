/**
 * A small bigram language model of call-center talk for the offline recogniser. Pocketsphinx's
 * general English model mishears even clean synthetic speech ("hello thank you for calling"
 * came out as "looks on cuba bully"); restricting it to the phrases a call center uses, plus
 * the caller's hints, makes the twin useful. Written as ARPA text, which pocketsphinx reads.
 */

/** Lines of typical agent and caller speech; every word must be in the CMU dictionary. */
export const CALL_CENTER_CORPUS = `
hello thank you for calling how can i help you today
hello thank you for calling customer support my name is
thank you for calling have a nice day goodbye
thanks for calling is there anything else i can help you with
hi i am calling about my account
i am calling about my bill
i would like to check my account balance
i want to cancel my order
i want to change my order
i would like to make a payment
i need to update my address
i need to change my phone number
can i have your name please
can i have your phone number please
can i have your email address please
can you spell that for me please
can you please confirm your date of birth
what is the status of my order
my order has not arrived yet
when will my order arrive
i would like a refund please
i was charged twice this month
the payment did not go through
please hold while i transfer your call
please hold while i check that for you
one moment please
i will transfer you to a manager
i need to speak to a manager
your call may be recorded for quality and training purposes
i am sorry for the wait
i am sorry to hear that
let me look into that for you
i understand your concern
yes please
no thank you
yes that is correct
no that is not right
okay great thank you very much
i will call you back tomorrow morning
can you call me back later today
please call me back this afternoon
i would like to schedule an appointment
can we reschedule the appointment for next week
my internet is not working
the service has been down since yesterday
i did not receive the text message
please stop sending me messages
please remove me from your list
i am interested in the new plan
how much does it cost per month
is there a discount for new customers
leave a message after the tone
please leave your name and number and we will call you back
press one for sales press two for support
zero one two three four five six seven eight nine
monday tuesday wednesday thursday friday saturday sunday
`;

function words(line: string): string[] {
	return line
		.toLowerCase()
		.replace(/[^a-z' ]+/g, ' ')
		.split(/\s+/)
		.filter(Boolean);
}

/**
 * Build an ARPA bigram model from the corpus plus `hints` (weighted up, so names and product
 * words win over near sound-alikes). Words the dictionary lacks are dropped: pocketsphinx
 * cannot say a word it has no pronunciation for.
 */
export function buildCallCenterModel(hints: string[], inDictionary: (word: string) => boolean): { arpa: string; words: string[] } {
	const lines = CALL_CENTER_CORPUS.split('\n').map(words);
	for (const hint of hints) {
		const w = words(hint);
		if (w.length) lines.push(w, w, w);
	}
	const unigrams = new Map<string, number>();
	const bigrams = new Map<string, number>();
	const followers = new Map<string, number>();
	let total = 0;
	for (const line of lines) {
		const known = line.filter(inDictionary);
		if (!known.length) continue;
		const sentence = ['<s>', ...known, '</s>'];
		sentence.forEach((word, i) => {
			unigrams.set(word, (unigrams.get(word) ?? 0) + 1);
			total++;
			if (i === 0) return;
			const pair = `${sentence[i - 1]} ${word}`;
			if (!bigrams.has(pair)) followers.set(sentence[i - 1]!, (followers.get(sentence[i - 1]!) ?? 0) + 1);
			bigrams.set(pair, (bigrams.get(pair) ?? 0) + 1);
		});
	}
	const discount = 0.5;
	const log = (p: number) => Math.log10(p).toFixed(4);
	const out = ['\\data\\', `ngram 1=${unigrams.size}`, `ngram 2=${bigrams.size}`, '', '\\1-grams:'];
	for (const [word, count] of unigrams) {
		const prob = word === '<s>' ? '-99.0000' : log(count / total);
		const distinct = followers.get(word);
		// Absolute discounting: the mass taken from seen bigrams goes to the unigram back-off.
		const backoff = distinct ? log((discount * distinct) / count) : '0.0000';
		out.push(`${prob} ${word} ${backoff}`);
	}
	out.push('', '\\2-grams:');
	for (const [pair, count] of bigrams) out.push(`${log((count - discount) / unigrams.get(pair.split(' ')[0]!)!)} ${pair}`);
	out.push('', '\\end\\', '');
	return { arpa: out.join('\n'), words: [...unigrams.keys()].filter((w) => w !== '<s>' && w !== '</s>') };
}
