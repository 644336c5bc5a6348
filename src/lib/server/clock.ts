/**
 * The server's clock for rules that depend on the time of day (campaign calling hours, the
 * calling window). Production reads the system clock. A local-mode server may be started with
 * TEST_CLOCK=<ISO instant>: its clock then starts at that instant and runs on at normal speed,
 * so a test can put a number's local time outside the window whatever the real time is. env.ts
 * refuses TEST_CLOCK with TELEPHONY=twilio.
 */
export interface Clock {
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that reads `start` at the moment it is made, then advances with the system clock. */
export function clockFrom(start: number): Clock {
	const offset = start - Date.now();
	return { now: () => Date.now() + offset };
}

export function clockFromEnv(testClock: string | undefined): Clock {
	return testClock ? clockFrom(Date.parse(testClock)) : systemClock;
}
