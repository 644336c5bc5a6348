/**
 * Held-out scripted calls: written with their intended scores from the anchor descriptions
 * before the local grader ever ran on them, in businesses the tuning set does not cover, and
 * never used to change a cue. `npm run bench` reports the grader's agreement on these beside
 * the tuning set (SCRIPTED_CALLS), so the figure is not one it was fitted to.
 */
import { timed, type ScriptedCall } from './scripted-calls';

export const HELD_OUT_CALLS: ScriptedCall[] = [
	{
		name: 'insurance claim, handled well',
		expected: { greeting: 5, productKnowledge: 5, problemResolution: 5, professionalism: 5, closing: 5 },
		lines: timed([
			['agent', 'Good afternoon, thanks for calling Harbor Mutual, this is Dmitri speaking. How can I help you today?'],
			['customer', 'Hi, someone reversed into my car in a car park this morning and I need to make a claim.'],
			['agent', "Oh no, I'm so sorry, that's stressful. Is everyone okay?"],
			['customer', "Yes, just the bumper, thankfully. My policy number is HM 2 0 9 9 1."],
			['agent', 'Thank you. Your comprehensive cover has a five hundred dollar excess, and because the other driver gave you their details, you can claim it back from their insurer.'],
			['agent', "I've opened the claim now. Your claim reference is C as in Charlie, 7 7 1 4. An assessor will call within two working days to book the repair at an approved garage."],
			['customer', 'Great, so I just wait for the assessor?'],
			['agent', "Exactly. Can you confirm you've got the reference written down?"],
			['customer', 'Yes, C 7 7 1 4, got it.'],
			['agent', "Lovely. So to summarise, your claim is open, the assessor calls within two working days, and a courtesy car is included while it's repaired."],
			['agent', 'Is there anything else I can help you with today?'],
			['customer', "No, that's brilliant, thank you."],
			['agent', 'Thank you for calling Harbor Mutual, take care.']
		])
	},
	{
		name: 'airline rebooking, abrupt ending',
		expected: { greeting: 3, productKnowledge: 4, problemResolution: 5, professionalism: 4, closing: 2 },
		lines: timed([
			['agent', "Hello, Skyline Airways, how can I help?"],
			['customer', 'My flight to Denver was cancelled because of the storm and I need another one today.'],
			['agent', 'Sorry about that. Let me look. There is a flight at six forty this evening with seats available, and because it was a weather cancellation there is no change fee.'],
			['customer', 'Six forty works.'],
			['agent', "I've moved you to it, seat 14C. Your new boarding pass will be emailed to you within the hour."],
			['customer', 'Yes, I can see the email already. Perfect.'],
			['agent', 'Okay, bye.']
		])
	},
	{
		name: 'bank card block, impatient agent',
		expected: { greeting: 4, productKnowledge: 4, problemResolution: 4, professionalism: 2, closing: 3 },
		lines: timed(
			[
				['agent', 'Hi, Northgate Bank, Sam speaking.'],
				['customer', 'Hi, I think I lost my debit card yesterday, it might have been at the--'],
				['agent', 'Yes, yes, I got it. Card number or account number, quickly please.'],
				['customer', 'Account number 6 6 2 0 1 8.'],
				['agent', 'Right. The card is blocked now. A new card arrives in three to five business days, and you can use the temporary virtual card in the app today.'],
				['customer', 'Okay, and what about the payment I made this--'],
				['agent', 'Nothing has been spent since yesterday, I already checked. Is that okay with you?'],
				['customer', 'Yes, fine.'],
				['agent', 'Anything else? No? Bye.']
			],
			[3, 7]
		)
	},
	{
		name: 'utility bill, unsure agent',
		expected: { greeting: 5, productKnowledge: 2, problemResolution: 2, professionalism: 4, closing: 4 },
		lines: timed([
			['agent', 'Good afternoon, City Power and Water, my name is Ines, how can I help you today?'],
			['customer', 'My bill this month is almost double and nothing has changed at home.'],
			['agent', "I'm sorry about that. Hmm, I'm not sure why. I think maybe it was an estimated reading?"],
			['customer', 'What does that mean, estimated?'],
			['agent', "I don't really know how the estimates are worked out, to be honest. It might be based on last winter, I think."],
			['customer', 'So will it be corrected?'],
			['agent', "I'm not sure. Maybe someone from billing could look at it at some point."],
			['customer', 'Okay...'],
			['agent', 'Thanks for calling, and is there anything else I can help with?'],
			['customer', 'No.']
		])
	},
	{
		name: 'software sign-in problem, fix not yet tried',
		expected: { greeting: 4, productKnowledge: 5, problemResolution: 3, professionalism: 4, closing: 5 },
		lines: timed([
			['agent', 'Hi there, thanks for calling Brightdesk support, I am Tom.'],
			['customer', "Hi Tom, none of our team can sign in this morning, it just loops back to the login page."],
			['agent', 'Thanks for flagging it. That loop happens when single sign-on is enforced but the browser still holds an old session cookie.'],
			['agent', 'Your admin can open the admin console, go to Security, and turn Enforce SAML off and on again, which resets every session. Each person then signs in through your company portal, not the Brightdesk page.'],
			['customer', "Our admin is out until lunch, so we'll try it then."],
			['agent', "Of course. If it still loops after that, call us back and quote ticket 5 5 0 3."],
			['agent', "So to recap, the admin resets the SAML sessions, and everyone signs in through the company portal. Anything else I can help with? Thanks for calling Brightdesk."],
			['customer', "That's all, thanks."]
		])
	},
	{
		name: 'pharmacy refill, curt',
		expected: { greeting: 2, productKnowledge: 4, problemResolution: 4, professionalism: 3, closing: 2 },
		lines: timed([
			['agent', 'Hello?'],
			['customer', "Hi, I'm calling to check if my blood pressure prescription refill is ready."],
			['agent', 'Name and date of birth.'],
			['customer', 'Maria Lopez, third of May, 1961.'],
			['agent', 'Lisinopril ten milligrams, ninety tablets. It is ready, you can pick it up until nine tonight.'],
			['customer', "Great, I'll come by after work."],
			['agent', 'Bye.']
		])
	},
	{
		name: 'hotel complaint, rude and unresolved',
		expected: { greeting: 1, productKnowledge: 2, problemResolution: 1, professionalism: 1, closing: 1 },
		lines: timed(
			[
				['agent', 'What do you need.'],
				['customer', 'I stayed last weekend and I was charged for a minibar I never used, forty dollars.'],
				['agent', "I dunno what the policy is on that. That's not my fault."],
				['customer', "I'm not saying it is, I just want the charge removed--"],
				['agent', "Stop complaining, everyone says they didn't use it."]
			],
			[4]
		)
	},
	{
		name: 'mobile roaming question, average',
		expected: { greeting: 3, productKnowledge: 3, problemResolution: 3, professionalism: 4, closing: 3 },
		lines: timed([
			['agent', "Hello, you're through to Vireo Mobile."],
			['customer', "Hi, I'm going to France and Switzerland next week. Will my phone work there?"],
			['agent', "Sure. Roaming in France is included in your plan at no extra cost. For Switzerland I'd have to check, it's not in the EU list."],
			['customer', 'Could you check?'],
			['agent', "I believe there is a travel pack you could add in the app before you go, that should cover it."],
			['customer', "Okay, I'll look in the app."],
			['agent', 'Thanks for calling.']
		])
	}
];
