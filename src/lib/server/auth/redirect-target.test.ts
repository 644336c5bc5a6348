import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from './redirect-target';

describe('safeRedirectTarget', () => {
	it.each([
		['/customers/42?tab=calls#notes', '/customers/42?tab=calls#notes'],
		['/', '/'],
		['/admin/users', '/admin/users']
	])('keeps the same-site path %s', (input, expected) => {
		expect(safeRedirectTarget(input)).toBe(expected);
	});

	it.each([null, undefined, 42, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'customers', '/login', '/logout?x=1', '/a\nb'])('turns %j into /', (input) => {
		expect(safeRedirectTarget(input)).toBe('/');
	});

	it('keeps encoded line breaks encoded, so they cannot split the Location header', () => {
		expect(safeRedirectTarget('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
	});
});
