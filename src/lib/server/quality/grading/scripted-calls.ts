/**
 * Scripted support calls with the scores a careful manager would give each category, written
 * from the anchor descriptions (not from the grader's phrase lists). Used to measure the local
 * grader's agreement (tests, bench) and as the demo archive's transcribed calls.
 */
import type { ScoreCategory } from '$lib/quality/categories';
import type { EvidenceLine } from './verify-evidence';

export interface ScriptedCall {
	name: string;
	expected: Record<ScoreCategory, number>;
	lines: EvidenceLine[];
}

type Turn = [speaker: 'agent' | 'customer', text: string];

/** Lines at a speaking pace of about 2.6 words a second with a short gap between turns. */
export function timed(turns: Turn[], overlaps: number[] = []): EvidenceLine[] {
	let t = 0.5;
	return turns.map(([speaker, text], i) => {
		const length = Math.max(1.2, text.split(/\s+/).length / 2.6);
		const start = overlaps.includes(i) ? Math.max(0, t - 1.5) : t;
		const line = { speaker, start: Math.round(start * 10) / 10, end: Math.round((start + length) * 10) / 10, text };
		t = start + length + 0.6;
		return line;
	});
}

export const SCRIPTED_CALLS: ScriptedCall[] = [
	{
		name: 'excellent broadband fix',
		expected: { greeting: 5, productKnowledge: 5, problemResolution: 5, professionalism: 5, closing: 5 },
		lines: timed([
			['agent', 'Good morning, thank you for calling Lumen Broadband, my name is Priya. How can I help you today?'],
			['customer', 'Hi Priya, my internet keeps dropping out every evening around eight.'],
			['agent', "I'm sorry to hear that, that sounds really frustrating. Could I have your account number please?"],
			['customer', "Sure, it's 4 4 7 1 9 2."],
			['agent', 'Thank you. I can see your router is on firmware 2.1, and the evening drops match a known issue fixed in version 2.4.'],
			['agent', "I've pushed the update to your router now. It will restart in about two minutes, so the lights will flash briefly."],
			['customer', 'Okay, the lights are flashing... right, it is back up.'],
			['agent', 'Could you open a web page and check that it is working for me?'],
			['customer', 'Yes, it is working now, and the speed looks much better.'],
			['agent', "Perfect. So to recap, we've updated your router firmware to 2.4, which fixes the evening dropouts, and I've added a note to your account."],
			['agent', 'Is there anything else I can help you with today?'],
			['customer', "No, that's everything, thanks."],
			['agent', 'Thank you for calling Lumen Broadband, Priya here, have a lovely evening.']
		])
	},
	{
		name: 'rude agent, unresolved billing',
		expected: { greeting: 1, productKnowledge: 1, problemResolution: 1, professionalism: 1, closing: 1 },
		lines: timed(
			[
				['agent', 'Yeah, what is it.'],
				['customer', 'I was charged twice for my subscription this month and I want to know why--'],
				['agent', "Billing isn't really my thing. I don't know why that happens."],
				['customer', 'Can you at least check my account? I was in the middle of--'],
				['agent', "Look, I already told you, I don't know. It's not my problem."],
				['customer', "So what do I do? I'm still being charged twice."],
				['agent', 'Whatever. Call back another day.']
			],
			[2, 4]
		)
	},
	{
		name: 'average password reset',
		expected: { greeting: 3, productKnowledge: 3, problemResolution: 4, professionalism: 4, closing: 3 },
		lines: timed([
			['agent', 'Hello, Northwind support, how can I help?'],
			['customer', "Hi, I can't log into my account. It says my password is wrong."],
			['agent', 'Okay, no problem. What is the email address on the account please?'],
			['customer', "It's maria dot lopez at example dot com."],
			['agent', "Thanks. I've sent a password reset link to that address, it should arrive within five minutes."],
			['customer', 'Okay, great, I will look out for it.'],
			['agent', 'Thanks for calling, bye now.']
		])
	},
	{
		name: 'hesitant agent on a refund question',
		expected: { greeting: 4, productKnowledge: 2, problemResolution: 3, professionalism: 4, closing: 4 },
		lines: timed([
			['agent', 'Hi, you have reached Contoso Electronics, this is Marcus speaking.'],
			['customer', 'Hi Marcus, I bought headphones last month and the left side stopped working. Can I get a refund?'],
			['agent', "Oh, I'm sorry about that. Hmm, I'm not sure what the refund rules are for headphones, I think maybe thirty days?"],
			['customer', 'It was about five weeks ago.'],
			['agent', "I guess you could try sending them back, maybe they'll replace them. I don't know for certain."],
			['customer', 'Okay. I will try that then.'],
			['agent', 'Thanks for your patience. Is there anything else I can help with?'],
			['customer', 'No, that is all.'],
			['agent', 'Alright, thank you, take care.']
		])
	},
	{
		name: 'knowledgeable but interrupting agent',
		expected: { greeting: 5, productKnowledge: 5, problemResolution: 4, professionalism: 2, closing: 4 },
		lines: timed(
			[
				['agent', 'Good afternoon, welcome to Fabrikam Energy, my name is Dana, how may I assist you?'],
				['customer', 'Hi, my bill this quarter is almost double what it normally is and I really do not understand how that--'],
				['agent', "Right, I can see your account. Your meter reading in October was estimated at 4,200 kilowatt hours because we didn't get an actual reading."],
				['customer', 'But I sent a reading in by the app, I definitely--'],
				['agent', 'The app reading came in on the 3rd, after the bill was generated. I will rebill the quarter on the actual reading of 2,150.'],
				['customer', 'Can I finish? I wanted to ask whether the new bill will be lower.'],
				['agent', 'Yes, the new bill will be about 310 dollars instead of 640, and you will receive it by email within two days.'],
				['customer', 'Okay, fine, thanks.'],
				['agent', 'Thank you for calling. Is there anything else I can do?'],
				['customer', 'No.']
			],
			[2, 4]
		)
	},
	{
		name: 'escalation with clear next steps',
		expected: { greeting: 4, productKnowledge: 4, problemResolution: 4, professionalism: 5, closing: 5 },
		lines: timed([
			['agent', 'Thank you for calling Tailspin Mobile, this is Aisha. What can I do for you?'],
			['customer', 'My phone has had no signal at home since Tuesday.'],
			['agent', "I'm really sorry, I understand how inconvenient that is. Let me check the network status for your postcode."],
			['agent', 'I can see a mast near you has a fault that our engineers are already working on.'],
			['customer', 'Oh. So when will it be fixed?'],
			['agent', "I've raised a ticket and linked it to your number, your reference number is T 5 5 8 1. An engineer will have the mast fixed within 48 hours, and I've applied a 10 dollar credit to your bill."],
			['customer', 'That sounds good, thank you.'],
			['agent', "So just to confirm, the mast repair is under way, you'll get a text when it's done, and the credit shows on next month's bill. Is there anything else I can help you with?"],
			['customer', "No, that's great."],
			['agent', 'Thank you so much for your patience, have a good day.']
		])
	},
	{
		name: 'bare-bones delivery query',
		expected: { greeting: 2, productKnowledge: 3, problemResolution: 3, professionalism: 3, closing: 2 },
		lines: timed([
			['agent', 'Hello.'],
			['customer', 'Hi, I ordered a desk last week and it has not arrived yet.'],
			['agent', 'Order number?'],
			['customer', 'It is W 9 9 2 1 0.'],
			['agent', 'It shipped Monday. Courier says delivery by Friday.'],
			['customer', 'Can you make sure it comes Friday?'],
			['agent', 'You can track it on the courier site.'],
			['customer', 'Okay.'],
			['agent', 'Bye.']
		])
	},
	{
		name: 'polite agent who cannot solve it',
		expected: { greeting: 5, productKnowledge: 2, problemResolution: 2, professionalism: 5, closing: 4 },
		lines: timed([
			['agent', 'Good evening, thanks for calling Woodgrove Bank, my name is Ellen. How can I help you this evening?'],
			['customer', 'Hi, my card was declined at the supermarket even though I have money in the account.'],
			['agent', "Oh no, I'm so sorry, that must have been embarrassing. I appreciate you calling us about it."],
			['customer', 'Can you tell me why it was declined?'],
			['agent', "I'm afraid I don't know why that would happen, I'm not sure which system handles that."],
			['customer', "So it's still not working? I need to buy groceries."],
			['agent', 'I understand completely. Unfortunately there is nothing I can do from here, but please do try the card again later.'],
			['customer', 'Okay...'],
			['agent', 'Thank you for your patience, and is there anything else I can help you with tonight?'],
			['customer', 'No.']
		])
	}
];
