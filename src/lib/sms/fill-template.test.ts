import { describe, expect, it } from 'vitest';
import { fillTemplate, unknownPlaceholders } from './fill-template';

const all = { customer: { firstName: 'Ada' }, agent: { name: 'Sam Ortiz' }, company: 'Acme' };

describe('fillTemplate', () => {
	it('fills every variable', () => {
		expect(fillTemplate('Hi {{customer.firstName}}, this is {{agent.name}} from {{company}}.', all)).toBe(
			'Hi Ada, this is Sam Ortiz from Acme.'
		);
	});

	it('allows spaces inside the braces and repeats', () => {
		expect(fillTemplate('{{ customer.firstName }} / {{customer.firstName}}', all)).toBe('Ada / Ada');
	});

	it.each([
		['no customer', { ...all, customer: null }, 'Hi there, this is Sam Ortiz from Acme.'],
		['an empty first name', { ...all, customer: { firstName: '  ' } }, 'Hi there, this is Sam Ortiz from Acme.'],
		['no agent name', { ...all, agent: { name: null } }, 'Hi Ada, this is our team from Acme.'],
		['nothing at all', {}, 'Hi there, this is our team from us.']
	])('renders sensibly with %s', (_label, vars, expected) => {
		expect(fillTemplate('Hi {{customer.firstName}}, this is {{agent.name}} from {{company}}.', vars)).toBe(expected);
	});

	it('leaves unknown placeholders and plain braces as typed, and inserts values literally', () => {
		expect(fillTemplate('{{customer.lastName}} {x} {{ }} {{company}}', all)).toBe('{{customer.lastName}} {x} {{ }} Acme');
		expect(fillTemplate('Hi {{customer.firstName}}', { customer: { firstName: '$& <b>{{company}}</b>' } })).toBe(
			'Hi $& <b>{{company}}</b>'
		);
		expect(fillTemplate('{{Company}}', all)).toBe('{{Company}}');
	});

	it('lists unknown placeholders once each', () => {
		expect(unknownPlaceholders('{{customer.lastName}} {{company}} {{customer.lastName}} {{foo}}')).toEqual([
			'customer.lastName',
			'foo'
		]);
		expect(unknownPlaceholders('Hi {{customer.firstName}}')).toEqual([]);
	});
});
