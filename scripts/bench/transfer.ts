/**
 * Transfer offer latency: the first agent presses Transfer (startTransfer: the archive checks,
 * the hot-state offer in the real local engine, the archive row, the carrier) until the target's
 * softphone rings (its registered device on the local carrier gets `incoming`), and until the
 * target's browser channel has the offer notice (Broadcast port). Beside it, in the same run, the
 * carrier's own leg creation (the createCall that rings the target, timed on its own).
 *
 * The target's leg is a plain carrier call to the agent's Client identity: until CONTROL's
 * conference methods land on the port, hold and the conference move are not part of the figure.
 */
import { randomUUID } from 'node:crypto';
import { api } from '$convex/_generated/api';
import { LocalBroadcast } from '../../src/lib/server/adapters/broadcast/local';
import type { TelephonyPort } from '../../src/lib/server/adapters/telephony/port';
import { carrierEngineOf } from '../../src/lib/server/adapters/telephony/carrier/index';
import { agentClientIdentity } from '../../src/lib/server/calls/caller-number';
import type { Db } from '../../src/lib/server/db/client';
import { user } from '../../src/lib/server/db/schema/auth';
import { voiceQueues } from '../../src/lib/server/db/schema/calls';
import { SYSTEM_IDENTITY, type HotState, type Identity } from '../../src/lib/server/live/hot';
import { DEFAULT_RULE_SET } from '../../src/lib/server/outbound/rule-set';
import { moveTransfer } from '../../src/lib/server/transfers/move-transfer';
import { startTransfer } from '../../src/lib/server/transfers/start-transfer';
import type { TransferCarrier } from '../../src/lib/server/transfers/transfer-carrier';
import { transferChannel } from '../../src/lib/server/transfers/transfer-notices';

export interface TransferBench {
	ringMs: number[];
	noticeMs: number[];
	legMs: number[];
}

export async function benchTransferOffer(db: Db, hot: HotState, telephony: TelephonyPort, rounds: number): Promise<TransferBench> {
	const engine = carrierEngineOf(telephony);
	if (!engine) throw new Error('benchTransferOffer needs the local carrier');
	const [first, target] = [randomUUID(), randomUUID()];
	await db.insert(user).values([first, target].map((id, i) => ({ id, name: `Transfer bench ${i}`, email: `xfer-${id}@bench.local`, role: 'agent' as const })));
	await db.insert(voiceQueues).values({ number: '+14155550177', name: `xfer-${first.slice(0, 8)}`, requiredSkills: [] }).onConflictDoNothing();
	const who = (id: string): Identity => ({ subject: id, role: 'agent', name: id });
	await hot.mutation(api.agentStatus.hydrate, { agents: [first, target].map((userId) => ({ userId, name: userId, role: 'agent' as const })), removeMissing: false }, SYSTEM_IDENTITY);
	const device = engine.device(agentClientIdentity(target));
	device.register();

	const legMs: number[] = [];
	const carrier: TransferCarrier = {
		ensureConference: (callSid) => Promise.resolve({ conferenceName: `call-${callSid}`, conferenceSid: null, customerCallSid: `cust-${callSid}`, agentCallSid: callSid }),
		addParticipant: async (_conference, input) => {
			const t0 = performance.now();
			const leg = await telephony.createCall({ from: `client:${agentClientIdentity(first)}`, to: input.to, twiml: '<Response><Pause length="30"/></Response>', timeoutSeconds: input.timeoutSeconds });
			legMs.push(performance.now() - t0);
			return { callSid: leg.sid, conferenceSid: `CF${leg.sid.slice(2)}` };
		},
		updateParticipant: () => Promise.resolve(),
		removeParticipant: async (_sid, callSid) => {
			if (callSid.startsWith('CA')) await telephony.updateCall(callSid, { status: 'canceled' }).catch(() => undefined);
		},
		endConference: () => Promise.resolve(),
		redirect: () => Promise.resolve()
	};
	const broadcast = new LocalBroadcast();
	const deps = { db, hot, broadcast, carrier, config: { outbound: { rules: DEFAULT_RULE_SET, clockStart: undefined } } };
	const result: TransferBench = { ringMs: [], noticeMs: [], legMs };
	let pending: { t0: number; rang?: number; noticed?: number; done: () => void } | null = null;
	const settle = () => {
		if (pending?.rang !== undefined && pending.noticed !== undefined) pending.done();
	};
	device.on('incoming', (call) => {
		if (pending) pending.rang = performance.now();
		settle();
		call.reject();
	});
	const stop = await broadcast.subscribe(transferChannel(target), (m) => {
		if (pending && (m.data as { phase?: string }).phase === 'ringing') pending.noticed = performance.now();
		settle();
	});
	try {
		for (let round = 0; round < rounds + 2; round++) {
			await hot.mutation(api.agentStatus.heartbeat, { softphone: 'ready' }, who(target));
			await hot.mutation(api.agentStatus.setMine, { status: 'available' }, who(target));
			const callSid = `CA${randomUUID().replaceAll('-', '')}`;
			await hot.mutation(api.activeCalls.claimDial, { callSid, agentId: first, number: `+1212555${String(1000 + round).slice(-4)}`, from: '+14155550177' }, SYSTEM_IDENTITY);
			const seen = new Promise<void>((done) => (pending = { t0: performance.now(), done }));
			const row = await startTransfer(deps, { id: first, name: 'Bench first' }, { callSid, kind: 'warm', target: { agentId: target } });
			await seen;
			const p = pending as unknown as { t0: number; rang: number; noticed: number };
			if (round >= 2) {
				result.ringMs.push(p.rang - p.t0);
				result.noticeMs.push(p.noticed - p.t0);
			}
			pending = null;
			await moveTransfer(deps, { transferId: row.transferId, event: 'target-declined', actorId: target });
			await hot.mutation(api.callWrapup.completeCall, { callSid }, SYSTEM_IDENTITY);
			await hot.mutation(api.callWrapup.finishWrapup, { callSid, agentId: first }, SYSTEM_IDENTITY);
		}
	} finally {
		stop();
		device.unregister();
	}
	result.legMs.splice(0, 2);
	return result;
}
