import { describe, expect, it } from 'vitest';
import { filterCanned, liveSuggestions, replaceRange, slashTokenAt } from './composer-text';

describe('slashTokenAt', () => {
	it('finds /word at the caret at the start or after whitespace', () => {
		expect(slashTokenAt('/ship', 5)).toEqual({ start: 0, end: 5, query: 'ship' });
		expect(slashTokenAt('Hi /gre', 7)).toEqual({ start: 3, end: 7, query: 'gre' });
		expect(slashTokenAt('Hi\n/', 4)).toEqual({ start: 3, end: 4, query: '' });
	});
	it('ignores slashes inside words, URLs, finished tokens and text after the caret', () => {
		expect(slashTokenAt('and/or', 6)).toBeNull();
		expect(slashTokenAt('see https://x.test/a', 20)).toBeNull();
		expect(slashTokenAt('/ship it', 8)).toBeNull();
		expect(slashTokenAt('/ship', 0)).toBeNull();
	});
});

describe('filterCanned', () => {
	const list = [
		{ id: '1', title: 'Order shipped', body: 'Your order is on its way.' },
		{ id: '2', title: 'Greeting', body: 'Hi, how can we help with your order?' },
		{ id: '3', title: 'Closing', body: 'Thanks!' }
	];
	it('puts title matches before text matches and needs every word', () => {
		expect(filterCanned(list, 'order').map((r) => r.id)).toEqual(['1', '2']);
		expect(filterCanned(list, 'ORDER ship').map((r) => r.id)).toEqual(['1']);
		expect(filterCanned(list, '').map((r) => r.id)).toEqual(['1', '2', '3']);
		expect(filterCanned(list, 'refund')).toEqual([]);
	});
});

describe('replaceRange and liveSuggestions', () => {
	it('replaces the token and puts the caret after the insert', () => {
		expect(replaceRange('Hi /gre!', 3, 7, 'Hello Ada')).toEqual({ text: 'Hi Hello Ada!', caret: 12 });
	});
	it('keeps suggestions whose text up to the span is unchanged, drops the rest', () => {
		const s = [
			{ start: 0, end: 3, message: 'a', replacements: ['The'] },
			{ start: 8, end: 11, message: 'b', replacements: ['the'] }
		];
		expect(liveSuggestions('Teh cat teh', 'Teh cat teh dog', s)).toEqual(s);
		expect(liveSuggestions('Teh cat teh', 'Teh dog teh', s)).toEqual([s[0]]);
		expect(liveSuggestions('Teh cat teh', 'Te', s)).toEqual([]);
	});
});
