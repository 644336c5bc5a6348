import { describe, expect, it } from 'vitest';
import { ACCOUNT_SID, CALL_SID, E164, MESSAGE_SID, SMS_THREAD_KEY, sidPattern, sidSource } from './phone-rules';

const HEX = '0123456789abcdef'.repeat(2);

describe('phone rules', () => {
	it('accepts E.164 numbers of 7 to 15 digits and nothing around them', () => {
		for (const ok of ['+14155550100', '+4930123', '+123456789012345']) expect(E164.test(ok)).toBe(true);
		for (const bad of ['14155550100', '+04155550100', '+123456', '+1234567890123456', ' +14155550100', '+1415555010x']) expect(E164.test(bad)).toBe(false);
	});

	it('reads an SMS thread key as two E.164 numbers joined by |', () => {
		expect(SMS_THREAD_KEY.test('+14155550100|+18005550100')).toBe(true);
		expect(SMS_THREAD_KEY.test('+14155550100+18005550100')).toBe(false);
		expect(SMS_THREAD_KEY.test('+14155550100|18005550100')).toBe(false);
	});

	it('checks SIDs by prefix and 32 lowercase hex digits, uppercase hex only when asked', () => {
		expect(CALL_SID.test(`CA${HEX}`)).toBe(true);
		expect(CALL_SID.test(`CA${HEX.toUpperCase()}`)).toBe(false);
		expect(sidPattern('CA', { anyCase: true }).test(`CA${HEX.toUpperCase()}`)).toBe(true);
		expect(sidPattern('CA', { anyCase: true }).test(`ca${HEX}`)).toBe(false);
		expect(MESSAGE_SID.test(`MM${HEX}`) && MESSAGE_SID.test(`SM${HEX}`)).toBe(true);
		expect(MESSAGE_SID.test(`CA${HEX}`)).toBe(false);
		expect(ACCOUNT_SID.test(`AC${HEX}0`)).toBe(false);
	});

	it('gives a SID source without anchors or capture groups, to build route patterns from', () => {
		const route = new RegExp(`^Calls/(${sidSource('CA')})/Recordings/(${sidSource('RE')})\\.json$`);
		expect(route.exec(`Calls/CA${HEX}/Recordings/RE${HEX}.json`)?.slice(1)).toEqual([`CA${HEX}`, `RE${HEX}`]);
		expect(route.test(`Calls/CA${HEX}/Recordings/RE${HEX}x.json`)).toBe(false);
		const message = new RegExp(`^(${sidSource(['SM', 'MM'])})$`);
		expect(message.exec(`MM${HEX}`)?.slice(1)).toEqual([`MM${HEX}`]);
	});
});
