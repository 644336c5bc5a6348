import { describe, expect, it } from 'vitest';
import { MARK_START as S, MARK_STOP as E, splitSnippet, stripMarkers } from './highlight';

describe('splitSnippet', () => {
	it('splits marked matches from the text around them', () => {
		expect(splitSnippet(`I want a ${S}refund${E} for ${S}order${E} 12`)).toEqual([
			{ text: 'I want a ', mark: false },
			{ text: 'refund', mark: true },
			{ text: ' for ', mark: false },
			{ text: 'order', mark: true },
			{ text: ' 12', mark: false }
		]);
	});

	it('keeps markup as text: nothing in a snippet is interpreted', () => {
		expect(splitSnippet(`<script>alert(1)</script> ${S}<b>x</b>${E}`)).toEqual([
			{ text: '<script>alert(1)</script> ', mark: false },
			{ text: '<b>x</b>', mark: true }
		]);
	});

	it('survives unbalanced and adjacent markers and keeps emoji whole', () => {
		expect(splitSnippet(`${E}a${S}b`)).toEqual([
			{ text: 'a', mark: false },
			{ text: 'b', mark: true }
		]);
		expect(splitSnippet(`${S}a${E}${S}b${E}`)).toEqual([{ text: 'ab', mark: true }]);
		expect(splitSnippet(`🙂 ${S}ok${E}`)).toEqual([
			{ text: '🙂 ', mark: false },
			{ text: 'ok', mark: true }
		]);
		expect(splitSnippet('')).toEqual([]);
	});
});

describe('stripMarkers', () => {
	it('removes only the marker characters', () => {
		expect(stripMarkers(`a${S}b${E}c <i>`)).toBe('abc <i>');
	});
});
