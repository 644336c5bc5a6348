import { describe, expect, it } from 'vitest';
import type { Db } from './client';
import { groupedWriter, type GroupedWriter } from './grouped-writer';

/** A statement that records the rows of each run and fails any run holding a row named `bad`. */
function fakeStatement() {
	const runs: string[][] = [];
	let release: (() => void) | null = null;
	let firstHeld = true;
	return {
		runs,
		releaseFirst: () => release?.(),
		statement: async (_db: Db, rows: string[]) => {
			runs.push([...rows]);
			// The first run stays out until released, so later writes gather behind it.
			if (firstHeld) {
				firstHeld = false;
				await new Promise<void>((resolve) => (release = resolve));
			}
			if (rows.includes('bad')) throw new Error(`row bad cannot be written (with ${rows.length - 1} others)`);
			return rows.map((r) => `${r}:written`);
		}
	};
}

function writerFor(statement: (db: Db, rows: string[]) => Promise<string[]>): GroupedWriter<string, string> {
	return groupedWriter(new WeakMap(), {} as Db, statement);
}

describe('groupedWriter', () => {
	it('sends the writes that arrive while a statement is out together in the next, each settled with its own result', async () => {
		const fake = fakeStatement();
		const writer = writerFor(fake.statement);
		const first = writer.write('a', 'a');
		const rest = ['b', 'c', 'd'].map((k) => writer.write(k, k));
		fake.releaseFirst();
		expect(await first).toBe('a:written');
		expect(await Promise.all(rest)).toEqual(['b:written', 'c:written', 'd:written']);
		expect(fake.runs).toEqual([['a'], ['b', 'c', 'd']]);
	});

	it('keeps one write per key in a statement, so a key\'s writes keep their order', async () => {
		const fake = fakeStatement();
		const writer = writerFor(fake.statement);
		const first = writer.write('x', 'x1');
		const later = [writer.write('y', 'y1'), writer.write('x', 'x2'), writer.write('x', 'x3')];
		fake.releaseFirst();
		await Promise.all([first, ...later]);
		expect(fake.runs).toEqual([['x1'], ['y1', 'x2'], ['x3']]);
	});

	it('fails only the write that cannot be written: the others of its statement go again alone', async () => {
		const fake = fakeStatement();
		const writer = writerFor(fake.statement);
		const first = writer.write('a', 'a');
		const grouped = ['b', 'bad', 'c'].map((k) => writer.write(k, k).then((v) => ({ ok: v }), (e: unknown) => ({ failed: String(e) })));
		fake.releaseFirst();
		await first;
		expect(await Promise.all(grouped)).toEqual([{ ok: 'b:written' }, { failed: 'Error: row bad cannot be written (with 0 others)' }, { ok: 'c:written' }]);
		expect(fake.runs.slice(1, 2)).toEqual([['b', 'bad', 'c']]);
		expect(fake.runs.slice(2).sort()).toEqual([['b'], ['bad'], ['c']]);
	});

	it('settles a write that arrives after the others are done (nothing is left waiting)', async () => {
		const fake = fakeStatement();
		const writer = writerFor(fake.statement);
		const first = writer.write('a', 'a');
		fake.releaseFirst();
		await first;
		expect(await writer.write('b', 'b')).toBe('b:written');
		expect(fake.runs).toEqual([['a'], ['b']]);
	});
});
