import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { agent, statusOf, sys } from './calls.fixtures';
import { newConvex } from './test.setup';

describe('start-up hydration of the call tables', () => {
	it('rebuilds an agent on a live call as busy, even with an older call still waiting for its wrap-up form', async () => {
		const t = newConvex();
		await agent(t, 'a', ['sales'], 1);
		const common = { from: '+12125550123', to: '+14155550100', agentId: 'a', queueName: 'sales', startedAt: 1 };
		await sys(t).mutation(api.callHydration.hydrateCalls, {
			incoming: [],
			queued: [],
			active: [
				{ ...common, callSid: 'CA10', state: 'in-progress', answeredAt: 2 },
				{ ...common, callSid: 'CA9', state: 'wrapup', answeredAt: 1, endedAt: 2, wrapupEndsAt: 62 }
			],
			before: 0
		});
		expect(await statusOf(t, 'a')).toBe('busy');
	});
});
