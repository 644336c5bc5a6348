import { describe, expect, it } from 'vitest';
import { statusPickerLocked } from './presence';

describe('the status picker', () => {
	it('is locked while a call rings, is on, or is in wrap-up, and free otherwise', () => {
		expect(statusPickerLocked({ status: 'busy', onCall: true })).toBe(true);
		expect(statusPickerLocked({ status: 'wrapup', onCall: true })).toBe(true);
		expect(statusPickerLocked({ status: 'ringing', onCall: false })).toBe(true);
		expect(statusPickerLocked({ status: 'busy', onCall: false })).toBe(false);
		expect(statusPickerLocked({ status: 'available', onCall: false })).toBe(false);
		expect(statusPickerLocked(undefined)).toBe(false);
	});
});
