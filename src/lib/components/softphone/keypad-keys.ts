/** The twelve DTMF keys of a phone keypad, in the order they sit on one. */
export const KEYPAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];

/** A key typed on the keyboard that the keypad has a button for. */
export function isKeypadKey(key: string): key is KeypadKey {
	return (KEYPAD_KEYS as readonly string[]).includes(key);
}
