import { describe, expect, it } from 'vitest';
import {
	FINAL_PHASES,
	TRANSFER_PHASES,
	TRANSFER_TABLE,
	isFinalPhase,
	stepTransfer,
	type TransferEffect,
	type TransferEvent,
	type TransferKind,
	type TransferPhase,
	type TransferTargetKind
} from './transfer-machine';

/** A small world the effects act on: who is in the call's conference and how. */
interface World {
	customer: 'conference' | 'queue' | 'gone';
	customerHeld: boolean;
	firstAgent: 'conference' | 'gone';
	target: 'none' | 'ringing' | 'connected' | 'gone';
	conference: 'open' | 'ended';
	row: 'none' | 'open' | 'closed';
}

const fresh = (): World => ({ customer: 'conference', customerHeld: false, firstAgent: 'conference', target: 'none', conference: 'open', row: 'none' });

/** The conference ends with the customer (endConferenceOnExit): everyone in it leaves. */
function endConference(w: World): void {
	w.conference = 'ended';
	if (w.customer === 'conference') w.customer = 'gone';
	w.customerHeld = false;
	w.firstAgent = 'gone';
	if (w.target === 'connected') w.target = 'gone';
}

function applyEffect(w: World, e: TransferEffect): void {
	switch (e.type) {
		case 'hold-customer':
			if (w.customer === 'conference') w.customerHeld = true;
			break;
		case 'unhold-customer':
			w.customerHeld = false;
			break;
		case 'ring-target':
			w.row = 'open';
			if (w.conference === 'open') w.target = 'ringing';
			break;
		case 'drop-target':
			if (w.target === 'ringing' || w.target === 'connected') w.target = 'gone';
			break;
		case 'drop-first-agent':
			w.firstAgent = 'gone';
			break;
		case 'requeue-customer':
			if (w.customer === 'conference') {
				w.customer = 'queue';
				w.customerHeld = false;
				endConference(w);
				w.customer = 'queue';
			}
			break;
		case 'end-conference':
			endConference(w);
			break;
		case 'mark-accepted':
			break;
		case 'close':
			if (w.row === 'open') w.row = 'closed';
			break;
	}
}

/** What the event itself does to the world before the machine sees it (a hang-up is a hang-up). */
function applyReality(w: World, e: TransferEvent): boolean {
	switch (e.type) {
		case 'target-answered':
			if (w.target !== 'ringing') return false;
			w.target = 'connected';
			return true;
		case 'target-declined':
		case 'target-timeout':
			if (w.target !== 'ringing') return false;
			w.target = 'gone';
			return true;
		case 'target-hangup':
			if (w.target === 'none' || w.target === 'gone') return false;
			w.target = 'gone';
			return true;
		case 'first-agent-hangup':
			if (w.firstAgent !== 'conference') return false;
			w.firstAgent = 'gone';
			return true;
		case 'customer-hangup':
			if (w.customer === 'gone') return false;
			if (w.customer === 'conference') endConference(w);
			w.customer = 'gone';
			return true;
		default:
			return true;
	}
}

function othersPresent(w: World): boolean {
	return w.firstAgent === 'conference' || w.target === 'connected';
}

/** After a transfer is over, CONTROL's plain rule: the last agent leaving ends the call. */
function controlRule(w: World, phase: TransferPhase): void {
	if (w.customer !== 'conference' || othersPresent(w) || w.target === 'ringing') return;
	if (phase === 'idle' || isFinalPhase(phase)) endConference(w);
}

/** Seeded and reproducible: mulberry32. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const KINDS: TransferKind[] = ['cold', 'warm'];
const TARGETS: TransferTargetKind[] = ['agent', 'queue', 'number'];
const SIMPLE: TransferEvent['type'][] = [
	'target-ringing', 'target-answered', 'target-declined', 'target-timeout', 'complete', 'cancel',
	'join-all', 'first-agent-hangup', 'target-hangup', 'customer-hangup'
];

function randomEvent(rand: () => number): TransferEvent {
	const i = Math.floor(rand() * (SIMPLE.length + 2));
	if (i >= SIMPLE.length) {
		return { type: 'start', kind: KINDS[Math.floor(rand() * 2)]!, target: TARGETS[Math.floor(rand() * 3)]! };
	}
	return { type: SIMPLE[i]! } as TransferEvent;
}

function randomSequence(rand: () => number): TransferEvent[] {
	const events: TransferEvent[] = [];
	// Most runs start with a transfer; some get events before it (out of order).
	if (rand() < 0.85) events.push({ type: 'start', kind: KINDS[Math.floor(rand() * 2)]!, target: TARGETS[Math.floor(rand() * 3)]! });
	const n = 1 + Math.floor(rand() * 12);
	for (let i = 0; i < n; i++) {
		const e = randomEvent(rand);
		events.push(e);
		if (rand() < 0.15) events.push(e); // a double click or a re-delivered webhook
	}
	return events;
}

function problems(w: World, phase: TransferPhase): string | null {
	if (w.customer === 'conference' && w.customerHeld && !othersPresent(w) && w.target !== 'ringing') {
		return 'customer left alone on hold';
	}
	if (w.customer !== 'conference') {
		if (w.conference !== 'ended') return 'conference outlives the customer in it';
		if (w.target === 'ringing') return 'target still ringing after the call left the conference';
	}
	if (w.customer === 'gone' && w.row === 'open') return 'transfer row outlives its call';
	if (isFinalPhase(phase) && w.row === 'open') return `row open in final phase ${phase}`;
	if (isFinalPhase(phase) && w.target === 'ringing') return `target ringing in final phase ${phase}`;
	if (isFinalPhase(phase) && w.customerHeld) return `customer held in final phase ${phase}`;
	return null;
}

interface Run {
	phase: TransferPhase;
	world: World;
	trace: string[];
}

function drive(events: TransferEvent[], run: Run = { phase: 'idle', world: fresh(), trace: [] }): Run {
	for (const event of events) {
		applyReality(run.world, event);
		const step = stepTransfer(run.phase, event);
		run.trace.push(`${run.phase} --${event.type}${event.type === 'start' ? `(${event.kind},${event.target})` : ''}--> ${step.ok ? step.to : `refused ${step.refusal}`}`);
		if (step.ok) {
			for (const effect of step.effects) {
				applyEffect(run.world, effect);
				const bad = problems(run.world, step.to === 'ended' ? 'ended' : run.phase);
				// Mid-effects only the hold rule applies (the row closes last).
				if (bad === 'customer left alone on hold') throw new Error(`${bad} during effects\n${run.trace.join('\n')}`);
			}
			run.phase = step.to;
		}
		controlRule(run.world, run.phase);
		const bad = problems(run.world, run.phase);
		if (bad) throw new Error(`${bad}\n${run.trace.join('\n')}`);
	}
	return run;
}

describe('transfer state machine: property', () => {
	it('10,000 random sequences: never held alone, nothing outlives the call, all end final', () => {
		const seed = 20261213;
		const rand = prng(seed);
		const reached = new Set<TransferPhase>();
		for (let i = 0; i < 10_000; i++) {
			const run = drive(randomSequence(rand));
			reached.add(run.phase);
			// Time passes: the offer's timer fires; then the call ends as every call does.
			drive([{ type: 'target-timeout' }], run);
			expect(['consulting', 'idle', ...FINAL_PHASES]).toContain(run.phase);
			drive([{ type: 'customer-hangup' }], run);
			if (!isFinalPhase(run.phase)) throw new Error(`not final: ${run.phase}\n${run.trace.join('\n')}`);
			expect(run.world.row).not.toBe('open');
			expect(run.world.conference).toBe('ended');
			expect(run.world.target).not.toBe('ringing');
		}
		// The generator really explores the table.
		for (const phase of TRANSFER_PHASES) expect(reached.has(phase) || phase === 'idle').toBe(true);
	});

	it('every phase answers every event (the table is total)', () => {
		for (const phase of TRANSFER_PHASES) expect(Object.keys(TRANSFER_TABLE[phase])).toHaveLength(13);
	});
});

describe('transfer state machine: the rules', () => {
	const warm: TransferEvent = { type: 'start', kind: 'warm', target: 'agent' };
	const cold: TransferEvent = { type: 'start', kind: 'cold', target: 'agent' };

	it('warm: consult then complete leaves the customer with the target', () => {
		const run = drive([warm, { type: 'target-ringing' }, { type: 'target-answered' }, { type: 'complete' }]);
		expect(run.phase).toBe('completed');
		expect(run.world).toMatchObject({ customerHeld: false, firstAgent: 'gone', target: 'connected', row: 'closed' });
	});

	it('warm: cancel brings the customer back to the first agent and drops the target', () => {
		const run = drive([warm, { type: 'target-answered' }, { type: 'cancel' }]);
		expect(run.phase).toBe('returned');
		expect(run.world).toMatchObject({ customerHeld: false, firstAgent: 'conference', target: 'gone' });
	});

	it('warm: join all keeps all three, nobody held', () => {
		const run = drive([warm, { type: 'target-answered' }, { type: 'join-all' }]);
		expect(run.phase).toBe('joined');
		expect(run.world).toMatchObject({ customerHeld: false, firstAgent: 'conference', target: 'connected' });
	});

	it.each(['target-declined', 'target-timeout'] as const)('%s: back to the first agent, nothing left ringing', (type) => {
		const run = drive([warm, { type }]);
		expect(run.phase).toBe('returned');
		expect(run.world).toMatchObject({ customerHeld: false, firstAgent: 'conference', target: 'gone', row: 'closed' });
	});

	it.each(['target-declined', 'target-timeout'] as const)('%s after the first agent has gone: re-queued', (type) => {
		const run = drive([cold, { type }]);
		expect(run.phase).toBe('requeued');
		expect(stepTransfer('blind_ringing', { type }).ok && stepTransfer('blind_ringing', { type })).toMatchObject({
			effects: expect.arrayContaining([{ type: 'requeue-customer', queue: 'original' }])
		});
		expect(run.world.customer).toBe('queue');
	});

	it('first agent hangs up mid-consult: the customer is joined to the target', () => {
		const run = drive([warm, { type: 'target-answered' }, { type: 'first-agent-hangup' }]);
		expect(run.phase).toBe('completed');
		expect(run.world).toMatchObject({ customerHeld: false, target: 'connected' });
	});

	it('first agent hangs up while the target rings: joined if answered, re-queued if not', () => {
		expect(drive([warm, { type: 'first-agent-hangup' }, { type: 'target-answered' }]).phase).toBe('completed');
		expect(drive([warm, { type: 'first-agent-hangup' }, { type: 'target-timeout' }]).phase).toBe('requeued');
	});

	it.each(['ringing', 'blind_ringing', 'consulting'] as const)('customer hangs up in %s: everything torn down', (phase) => {
		const step = stepTransfer(phase, { type: 'customer-hangup' });
		expect(step.ok && step.to).toBe('ended');
		expect(step.ok && step.effects).toEqual(expect.arrayContaining([{ type: 'end-conference' }, { type: 'close', outcome: 'customer-hangup' }]));
	});

	it('a queue transfer puts the customer into that queue at once', () => {
		const run = drive([{ type: 'start', kind: 'cold', target: 'queue' }]);
		expect(run.phase).toBe('requeued');
		expect(run.world.customer).toBe('queue');
	});

	it('double clicks and stale events are refused without effects', () => {
		expect(stepTransfer('ringing', warm)).toEqual({ ok: false, from: 'ringing', refusal: 'TRANSFER_IN_PROGRESS' });
		expect(stepTransfer('completed', { type: 'complete' })).toEqual({ ok: false, from: 'completed', refusal: 'TRANSFER_FINISHED' });
		expect(stepTransfer('ended', { type: 'complete' })).toEqual({ ok: false, from: 'ended', refusal: 'CALL_ENDED' });
		expect(stepTransfer('returned', { type: 'target-answered' })).toMatchObject({ ok: false, refusal: 'TRANSFER_FINISHED' });
		expect(stepTransfer('ringing', { type: 'join-all' })).toMatchObject({ ok: false, refusal: 'TARGET_NOT_CONNECTED' });
		expect(stepTransfer('blind_ringing', { type: 'cancel' })).toMatchObject({ ok: false, refusal: 'FIRST_AGENT_GONE' });
		expect(stepTransfer('idle', { type: 'complete' })).toMatchObject({ ok: false, refusal: 'NO_TRANSFER' });
	});
});
