import { describe, expect, it } from 'vitest';
import type { SupervisorAlert } from '$lib/reporting/wallboard-types';
import { alertOf, MAX_SHOWN, withAlert } from './queue-alerts';

const alert = (id: string, kind: SupervisorAlert['kind'] = 'long-wait'): SupervisorAlert => ({ id, kind, queue: 'sales', message: `m ${id}`, at: '2026-12-01T10:00:00.000Z' });

describe('queue alerts shown on a page', () => {
	it('reads only well-formed alert messages off the notices stream', () => {
		expect(alertOf({ kind: 'alert', alert: alert('a') })).toEqual(alert('a'));
		expect(alertOf({ kind: 'ready' })).toBeNull();
		expect(alertOf({ transcriptId: 't', excerpt: 'hi' })).toBeNull();
		expect(alertOf({ kind: 'alert', alert: { ...alert('a'), kind: 'other' } })).toBeNull();
		expect(alertOf({ kind: 'alert', alert: { id: 'a' } })).toBeNull();
	});

	it('shows each alert once, newest first, capped, and never one the user dismissed', () => {
		let shown: SupervisorAlert[] = [];
		shown = withAlert(shown, alert('a'), new Set());
		shown = withAlert(shown, alert('b', 'service-level'), new Set());
		// Replayed on reconnect: not shown twice.
		shown = withAlert(shown, alert('a'), new Set());
		expect(shown.map((a) => a.id)).toEqual(['b', 'a']);
		expect(withAlert(shown, alert('c'), new Set(['c']))).toBe(shown);
		for (let i = 0; i < 10; i++) shown = withAlert(shown, alert(`x${i}`), new Set());
		expect(shown).toHaveLength(MAX_SHOWN);
		expect(shown[0]!.id).toBe('x9');
	});
});
