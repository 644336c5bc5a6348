import { describe, expect, it } from 'vitest';
import { MAX_SHOWN, withAlert } from './alert-list';
import type { SupervisorAlert } from './wallboard-types';

const alert = (id: string): SupervisorAlert => ({ id, kind: 'long-wait', queue: 'sales', message: `m ${id}`, at: '2026-12-01T10:00:00.000Z' });

describe('withAlert', () => {
	it('shows each alert once however often it arrives, newest first', () => {
		let shown = withAlert([], alert('a'), []);
		shown = withAlert(shown, alert('b'), []);
		shown = withAlert(shown, alert('a'), []);
		expect(shown.map((a) => a.id)).toEqual(['b', 'a']);
	});
	it('never brings back one the user dismissed, and keeps at most three', () => {
		expect(withAlert([], alert('a'), ['a'])).toEqual([]);
		let shown: SupervisorAlert[] = [];
		for (const id of ['1', '2', '3', '4', '5']) shown = withAlert(shown, alert(id), []);
		expect(shown.map((a) => a.id)).toEqual(['5', '4', '3']);
		expect(shown).toHaveLength(MAX_SHOWN);
	});
});
