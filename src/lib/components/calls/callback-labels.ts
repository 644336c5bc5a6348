/** Words for callback tasks, shared by the callbacks page and the customer timeline. */
import type { BadgeTone } from '$lib/components/ui/badge.svelte';
import type { TCallbackTask } from '$lib/server/trpc/routers/callbacks';

export const CALLBACK_OUTCOME_LABEL: Record<NonNullable<TCallbackTask['outcome']>, string> = {
	reached: 'Reached the caller',
	'no-answer': 'No answer',
	'left-message': 'Left a message',
	'wrong-number': 'Wrong number',
	'not-needed': 'Not needed any more'
};

export function callbackState(task: TCallbackTask): { label: string; tone: BadgeTone } {
	if (task.status === 'open') return { label: 'Open', tone: 'amber' };
	if (task.status === 'claimed') return { label: `Taken by ${task.claimedByName ?? 'an agent'}`, tone: 'blue' };
	return { label: `Done${task.outcome ? `: ${CALLBACK_OUTCOME_LABEL[task.outcome]}` : ''}`, tone: 'green' };
}

export const CALLBACK_REASON_LABEL: Record<TCallbackTask['reason'], string> = {
	abandoned: 'Hung up in the queue',
	voicemail: 'Left a voicemail'
};
