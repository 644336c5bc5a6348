/**
 * Call-centre speech for the search bench: a pool of agent and customer lines built from
 * templates (products, problems, actions, small talk), so word frequencies look like support
 * calls: a few words are in most calls ("order", "help"), product and problem words in some,
 * order numbers in one call each.
 */
const PRODUCTS = [
	'blender', 'toaster', 'kettle', 'vacuum', 'router', 'modem', 'headset', 'keyboard', 'monitor', 'printer', 'scanner', 'speaker',
	'thermostat', 'doorbell', 'camera', 'tablet', 'charger', 'cable', 'mattress', 'sofa', 'lamp', 'heater', 'fan', 'dishwasher',
	'microwave', 'fridge', 'freezer', 'washer', 'dryer', 'drill', 'mower', 'grill', 'smartwatch', 'earbuds', 'projector', 'console',
	'subscription', 'membership', 'warranty', 'insurance', 'phone plan', 'data plan', 'gift card', 'voucher', 'license', 'account',
	'invoice', 'delivery', 'installation', 'repair'
];
const PROBLEMS = [
	'arrived broken', 'stopped working', 'was never delivered', 'was charged twice', 'is making a strange noise', 'will not turn on',
	'keeps disconnecting', 'is the wrong colour', 'is missing a part', 'overheats after an hour', 'was cancelled without notice',
	'shows an error code', 'is much slower than advertised', 'leaks water', 'has a cracked screen', 'was billed at the wrong price',
	'came with the wrong manual', 'smells like burning plastic', 'does not fit', 'lost all my settings'
];
const ACTIONS = [
	'issue a full refund', 'send a replacement', 'book an engineer visit', 'escalate this to my supervisor', 'reset your password',
	'cancel the subscription', 'apply a discount to your next bill', 'update your shipping address', 'open a warranty claim',
	'arrange a return label', 'credit your account', 'check the tracking number', 'reverse the duplicate charge', 'upgrade your plan'
];
const CUSTOMER_OPENERS = [
	'Hi, I am calling because my {p} {x}.', 'Hello, my {p} {x} and I want it sorted today.', 'The {p} I bought last week {x}.',
	'I have called three times about my {p}, it {x}.', 'Can you help me, the {p} {x}?', 'My neighbour said you could help, my {p} {x}.',
	'I would like a refund for the {p}, it {x}.', 'Honestly I am frustrated, the {p} {x} again.'
];
const AGENT_LINES = [
	'I am sorry to hear that about your {p}, let me take a look.', 'I can {a} for you right now.', 'Could you confirm the email address on the account?',
	'Thank you for your patience while I check the {p} order.', 'I have noted that the {p} {x}.', 'The quickest option is to {a}.',
	'Let me put you on a short hold while I {a}.', 'I understand, we will {a} today.', 'Is there anything else I can help you with?',
	'Your reference for this call is on its way by email.', 'I see the {p} was shipped from our central warehouse.'
];
const CUSTOMER_LINES = [
	'Yes, that is the right address.', 'Please {a}, that would be great.', 'How long will that take?', 'Okay, I can wait a moment.',
	'No, the {p} is still in the box.', 'I paid with my credit card.', 'Will I get an email confirmation?', 'That sounds fine, thank you.',
	'Can you also check my other {p}?', 'I would rather not pay for shipping again.', 'It {x} since yesterday.'
];
const SMALL_TALK = [
	'Good morning, thanks for calling, my name is Sam, how can I help?', 'Thanks for holding.', 'Bear with me one second.',
	'Have a lovely rest of your day.', 'Goodbye now.', 'Sorry, you broke up a little there.', 'Could you repeat that please?'
];

export interface CorpusLine {
	speaker: 'agent' | 'customer';
	text: string;
}

/** A deterministic pool of `size` lines (about half agent, half customer). */
export function linePool(size: number, seed = 7): CorpusLine[] {
	let state = seed;
	const next = (n: number) => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state % n;
	};
	const pick = <T>(list: readonly T[]) => list[next(list.length)] as T;
	const fill = (template: string) => template.replace('{p}', pick(PRODUCTS)).replace('{x}', pick(PROBLEMS)).replace('{a}', pick(ACTIONS));
	return Array.from({ length: size }, (_, i) => {
		const kind = i % 7;
		if (kind === 0) return { speaker: 'customer', text: fill(pick(CUSTOMER_OPENERS)) };
		if (kind === 1) return { speaker: 'agent', text: pick(SMALL_TALK) };
		if (kind % 2 === 0) return { speaker: 'agent', text: fill(pick(AGENT_LINES)) };
		return { speaker: 'customer', text: fill(pick(CUSTOMER_LINES)) };
	});
}

/** What people type into the search box: rare, medium and common words, phrases, OR and minus. */
export const BENCH_QUERIES = [
	'refund',
	'blender',
	'"arrived broken"',
	'dishwasher leaks',
	'"cancel the subscription"',
	'engineer visit',
	'refund or replacement -warranty',
	'charged twice',
	'smartwatch "cracked screen"',
	'supervisor',
	'order 100042',
	'projector overheats',
	'"reverse the duplicate charge"',
	'gift card -voucher',
	'tracking number',
	'burning plastic'
];
