import { describe, expect, it } from 'vitest';
import { RecordOpener, type CallForRecord, type OpenRecordOn } from './open-record';

function setup() {
	const opened: string[] = [];
	const opener = new RecordOpener((id) => opened.push(id));
	return { opened, opener };
}
const call = (phase: CallForRecord['phase'], callSid = 'CA1', customerId: string | null = 'cust-1'): CallForRecord => ({ callSid, phase, customerId });

describe('RecordOpener', () => {
	it('with "ring" opens the record as the call rings, once for the whole call', () => {
		const { opened, opener } = setup();
		opener.update('ring', call('ringing'), null);
		expect(opened).toEqual(['cust-1']);
		opener.update('ring', call('connecting'), 'cust-1');
		// The agent went elsewhere during the call: they are not pulled back.
		opener.update('ring', call('active'), null);
		expect(opened).toEqual(['cust-1']);
	});

	it('with "answer" waits for the call to be answered', () => {
		const { opened, opener } = setup();
		opener.update('answer', call('ringing'), null);
		opener.update('answer', call('connecting'), null);
		expect(opened).toEqual([]);
		opener.update('answer', call('active'), null);
		opener.update('answer', call('active'), null);
		expect(opened).toEqual(['cust-1']);
	});

	it('with "never" opens nothing, and a caller without a record opens nothing', () => {
		const { opened, opener } = setup();
		for (const phase of ['ringing', 'active'] as const) opener.update('never', call(phase), null);
		for (const setting of ['ring', 'answer'] as OpenRecordOn[]) opener.update(setting, call('active', 'CA2', null), null);
		expect(opened).toEqual([]);
	});

	it('does not navigate when the record is already on screen, and then leaves that call alone', () => {
		const { opened, opener } = setup();
		opener.update('answer', call('active'), 'cust-1');
		opener.update('answer', call('active'), null);
		expect(opened).toEqual([]);
	});

	it('opens again for the next call, and follows a setting changed during a call', () => {
		const { opened, opener } = setup();
		opener.update('answer', call('active', 'CA1', 'cust-1'), null);
		opener.update('answer', null, null);
		opener.update('never', call('ringing', 'CA2', 'cust-2'), null);
		opener.update('ring', call('ringing', 'CA2', 'cust-2'), null);
		expect(opened).toEqual(['cust-1', 'cust-2']);
	});
});
