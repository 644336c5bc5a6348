import { describe, expect, it } from 'vitest';
import { rowsOf } from './rows';

describe('rowsOf', () => {
	it('reads postgres-js results (the rows themselves) and PGlite results ({ rows })', () => {
		const rows = [{ n: 1 }, { n: 2 }];
		expect(rowsOf(rows)).toBe(rows);
		expect(rowsOf({ rows, fields: [], affectedRows: 0 })).toBe(rows);
	});

	it('reads a result without rows as none', () => {
		expect(rowsOf({ affectedRows: 3 })).toEqual([]);
		expect(rowsOf(undefined)).toEqual([]);
	});
});
