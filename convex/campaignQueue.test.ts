import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { as, newConvex, rejectsWith, type TestConvex } from './test.setup';

const sys = (t: TestConvex) => as(t, 'system', 'switchboard');
/** 2026-12-07 19:00 UTC: 14:00 in New York, 05:00 the next day in Guam. */
const NOW = Date.UTC(2026, 11, 7, 19, 0);
const HOURS = { hoursStart: 9 * 60, hoursEnd: 20 * 60 };

const lead = (
	n: number,
	extra: Partial<{
		timeZones: string[];
		notBefore: number;
		campaignId: string;
	}> = {}
) => ({
	campaignId: 'camp-1',
	leadId: `lead-${n}`,
	name: `Lead ${n}`,
	phone: `+1415555${String(n).padStart(4, '0')}`,
	timeZones: ['America/New_York'],
	order: n,
	notBefore: 0,
	attempts: 0,
	...extra
});

const claim = (t: TestConvex, agentId: string, now = NOW, campaignId = 'camp-1') =>
	sys(t).mutation(api.campaignQueue.claimNext, {
		agentId,
		campaignId,
		now,
		...HOURS
	});

describe('the next-call queue', () => {
	it('hands out leads in import order, one per agent, and the same one again to an agent who still holds it', async () => {
		const t = newConvex();
		expect(
			await sys(t).mutation(api.campaignQueue.hydrate, {
				leads: [lead(3), lead(1), lead(2)]
			})
		).toEqual({ inserted: 3 });
		// Hydrating again adds nothing: a lead is in the queue once.
		expect(
			await sys(t).mutation(api.campaignQueue.hydrate, {
				leads: [lead(1), lead(2)]
			})
		).toEqual({ inserted: 0 });
		const a = await claim(t, 'agent-a');
		const b = await claim(t, 'agent-b');
		expect([a.lead?.leadId, b.lead?.leadId]).toEqual(['lead-1', 'lead-2']);
		expect(await claim(t, 'agent-a')).toMatchObject({
			again: true,
			lead: { leadId: 'lead-1', claimedBy: 'agent-a' }
		});
		expect((await claim(t, 'agent-c')).lead?.leadId).toBe('lead-3');
		expect(await claim(t, 'agent-d')).toEqual({
			lead: null,
			again: false,
			ready: 0,
			outsideHours: 0
		});
		// The attempt is over: the row goes, and the agent's next press takes a new lead.
		expect(await sys(t).mutation(api.campaignQueue.drop, { leadIds: ['lead-1'] })).toBe(1);
		expect(await claim(t, 'agent-a')).toMatchObject({
			again: false,
			lead: null
		});
	});

	it('gives a lead claimed and left alone before staleBefore to the next agent, and leaves fresher claims where they are', async () => {
		const t = newConvex();
		await sys(t).mutation(api.campaignQueue.hydrate, { leads: [lead(1), lead(2)] });
		expect((await claim(t, 'agent-gone', NOW)).lead?.leadId).toBe('lead-1');
		expect((await claim(t, 'agent-b', NOW + 5 * 60_000)).lead?.leadId).toBe('lead-2');
		const later = (agentId: string, now: number, staleBefore: number) =>
			sys(t).mutation(api.campaignQueue.claimNext, { agentId, campaignId: 'camp-1', now, staleBefore, ...HOURS });
		// Without a cut-off, and with one before both claims, nothing comes back.
		expect((await claim(t, 'agent-c', NOW + 11 * 60_000)).lead).toBeNull();
		expect((await later('agent-c', NOW + 11 * 60_000, NOW - 1)).lead).toBeNull();
		// Ten minutes on, the first claim is stale: agent-c gets that lead; agent-b's is still theirs.
		expect(await later('agent-c', NOW + 11 * 60_000, NOW + 60_000)).toMatchObject({ again: false, lead: { leadId: 'lead-1', claimedBy: 'agent-c' } });
		expect(await sys(t).query(api.campaignQueue.holder, { leadId: 'lead-2' })).toBe('agent-b');
		expect(await sys(t).query(api.campaignQueue.holder, { leadId: 'lead-1' })).toBe('agent-c');
	});

	it('passes over leads whose re-call time has not come or whose local time is outside the calling hours', async () => {
		const t = newConvex();
		await sys(t).mutation(api.campaignQueue.hydrate, {
			leads: [
				lead(1, { timeZones: ['Pacific/Guam'] }),
				lead(2, { notBefore: NOW + 60_000 }),
				lead(3, { timeZones: ['America/New_York', 'Pacific/Honolulu'] }),
				lead(4)
			]
		});
		// Guam is at 05:00; Honolulu at 09:00 (open); lead 2 is due in a minute.
		expect(await claim(t, 'agent-a')).toMatchObject({
			lead: { leadId: 'lead-3' },
			outsideHours: 1
		});
		expect((await claim(t, 'agent-b')).lead?.leadId).toBe('lead-4');
		expect(await claim(t, 'agent-c')).toMatchObject({
			lead: null,
			outsideHours: 1
		});
		expect((await claim(t, 'agent-c', NOW + 60_000)).lead?.leadId).toBe('lead-2');
		// Ten hours later it is 15:00 in Guam.
		expect((await claim(t, 'agent-d', NOW + 10 * 3_600_000)).lead?.leadId).toBe('lead-1');
	});

	it('keeps campaigns apart, and a pause clears only the ready leads of its campaign', async () => {
		const t = newConvex();
		await sys(t).mutation(api.campaignQueue.hydrate, {
			leads: [lead(1), lead(2), lead(3, { campaignId: 'camp-2' })]
		});
		expect((await claim(t, 'agent-a')).lead?.leadId).toBe('lead-1');
		expect(
			await sys(t).mutation(api.campaignQueue.clearCampaign, {
				campaignId: 'camp-1'
			})
		).toBe(1);
		expect((await claim(t, 'agent-b')).lead).toBeNull();
		expect((await claim(t, 'agent-b', NOW, 'camp-2')).lead?.leadId).toBe('lead-3');
	});

	it('is the server’s alone: agents cannot claim or hydrate, and only managers read progress', async () => {
		const t = newConvex();
		await rejectsWith(
			as(t, 'agent', 'agent-a').mutation(api.campaignQueue.claimNext, {
				agentId: 'agent-a',
				campaignId: 'camp-1',
				now: NOW,
				...HOURS
			}),
			'FORBIDDEN'
		);
		await rejectsWith(
			as(t, 'manager').mutation(api.campaignQueue.hydrate, {
				leads: [lead(1)]
			}),
			'FORBIDDEN'
		);
		await rejectsWith(as(t, 'agent', 'agent-a').query(api.campaignQueue.progress, {}), 'FORBIDDEN');
		const progress = {
			campaignId: 'camp-1',
			name: 'Winter',
			status: 'running' as const,
			total: 6,
			dialled: 1,
			reached: 1,
			refused: 2,
			remaining: 3,
			byDisposition: [{ disposition: 'Sale', count: 1 }],
			updatedAt: NOW
		};
		await sys(t).mutation(api.campaignQueue.setProgress, { progress });
		await sys(t).mutation(api.campaignQueue.setProgress, {
			progress: { ...progress, dialled: 2 }
		});
		expect(await as(t, 'manager').query(api.campaignQueue.progress, {})).toMatchObject([{ ...progress, dialled: 2 }]);
	});
});
