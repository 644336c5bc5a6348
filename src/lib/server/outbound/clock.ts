/**
 * The outbound gate's clock. Production reads the system time; a local deployment may start it
 * at a fixed instant (OUTBOUND_CLOCK_START) so demos and end-to-end tests see a known recipient
 * time, after which it runs forward in real time (so re-call gaps still pass).
 */
export type OutboundClock = () => Date;

export function createOutboundClock(start: Date | undefined, real: () => number = Date.now): OutboundClock {
	if (!start) return () => new Date(real());
	const offset = start.getTime() - real();
	return () => new Date(real() + offset);
}

const clocks = new WeakMap<object, OutboundClock>();

/** The deployment's clock: one per config object, so a fixed start is taken once and then runs on. */
export function outboundClock(config: { outbound: { clockStart: Date | undefined } }): OutboundClock {
	let clock = clocks.get(config.outbound);
	if (!clock) {
		clock = createOutboundClock(config.outbound.clockStart);
		clocks.set(config.outbound, clock);
	}
	return clock;
}
