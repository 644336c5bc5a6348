/**
 * Test helpers for calls through the local carrier (test files only: it uses vitest's waitFor,
 * which test-harness.ts, also read by the bench, must not).
 */
import { vi } from 'vitest';
import { api } from '$convex/_generated/api';
import type { Harness as CarrierHarness } from '../adapters/telephony/carrier/test-switchboard';
import type { HotState, Identity } from '../live/hot';
import { agentClientIdentity } from './caller-number';

/**
 * Advance the carrier's clock a second at a time; with `until`, until it holds (webhooks and the
 * server run in real time meanwhile), ticking at most `seconds` times.
 */
export async function advanceCarrier(carrier: CarrierHarness, seconds: number, until?: () => boolean | Promise<boolean>): Promise<void> {
	if (!until) {
		for (let i = 0; i < seconds; i++) await carrier.clock.advance(1000);
		return;
	}
	let ticks = 0;
	await vi.waitFor(
		async () => {
			if (await until()) return;
			if (ticks++ < seconds) await carrier.clock.advance(1000);
			throw new Error('not yet');
		},
		{ timeout: 20_000, interval: 20 }
	);
}

/**
 * An agent's softphone on the carrier that answers whatever rings it: a queue offer through
 * acceptCall, a transfer's or a supervisor's leg at once. `legs` gets the leg each agent took.
 */
export function answeringSoftphone(carrier: CarrierHarness, hot: Pick<HotState, 'mutation'>, who: Identity, legs: Map<string, string>) {
	const device = carrier.engine.device(agentClientIdentity(who.subject));
	device.register();
	device.on('incoming', (call) => {
		legs.set(who.subject, call.parameters.CallSid ?? '');
		const callSid = call.customParameters.get('callSid');
		if (callSid) void hot.mutation(api.callLine.acceptCall, { callSid }, who).then(() => call.accept());
		else queueMicrotask(() => call.accept());
	});
	return device;
}
