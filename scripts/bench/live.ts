/**
 * Live propagation measurements for `npm run bench`: the time from issuing a hot-state mutation
 * to each subscribed client receiving the changed result, through the real local path.
 *
 *   benchLivePropagation     in-process: worker engine + LiveHub, each client a different
 *                            signed-in agent (so every client's query re-runs: the worst case)
 *   benchLivePropagationHttp over HTTP against a running server: N event streams (SSE) of one
 *                            signed-in user, mutations through POST /api/live/mutation
 *
 * Latencies are measured from just before the mutation is sent, so they include the mutation
 * itself; `mutationMs` gives its own round trip for comparison.
 */
import { api } from '$convex/_generated/api';
import { createLocalHotState, SYSTEM_IDENTITY, type HotState } from '../../src/lib/server/live/hot';
import { LiveHub, type LiveEvent, type LiveUser } from '../../src/lib/server/live/hub';
import { EventQueue, isHello, isResultFor } from '../../src/lib/server/live/test-sse-client';

export interface LivePropagationOptions {
	/** Subscribed clients (default 50). */
	clients?: number;
	/** Mutations measured (default 30), after `warmup` unmeasured ones (default 3). */
	rounds?: number;
	warmup?: number;
	/** An existing local hot state to measure; by default a fresh one is started and closed. */
	hot?: HotState;
}

export interface LivePropagationResult {
	via: 'hub' | 'http';
	clients: number;
	rounds: number;
	/** One entry per client per round: mutation sent -> changed result received, in ms. */
	latenciesMs: number[];
	/** Mutation round trip per round, in ms. */
	mutationMs: number[];
}

const now = () => performance.now();

/** Each run starts from `busy` and alternates away/available, so every round changes the result. */
const START_STATUS = 'busy';
const statusFor = (round: number) => (round % 2 === 0 ? 'away' : 'available');

export async function benchLivePropagation(options: LivePropagationOptions = {}): Promise<LivePropagationResult> {
	const clients = options.clients ?? 50;
	const rounds = options.rounds ?? 30;
	const warmup = options.warmup ?? 3;
	const hot = options.hot ?? (await createLocalHotState());
	const hub = new LiveHub(hot, { maxSubscriptions: 10 });
	const writer: LiveUser = { id: 'bench-writer', name: 'Bench Writer', role: 'agent' };
	// Wallboards: the roster is for supervisors.
	const users: LiveUser[] = Array.from({ length: clients }, (_, i) => ({
		id: `bench-client-${i}`,
		name: `Bench Client ${i}`,
		role: 'supervisor'
	}));
	await hot.mutation(
		api.agentStatus.hydrate,
		{ agents: [writer, ...users].map((u) => ({ userId: u.id, name: u.name, role: u.role })), removeMissing: false },
		SYSTEM_IDENTITY
	);

	// Each client records when it sees the writer in the expected status.
	let expected = '';
	let roundStart = 0;
	let pending = 0;
	let roundDone: () => void = () => {};
	let measuring = false;
	const seen = new Set<number>();
	const subscribed = new Set<number>();
	const latencies: number[] = [];
	const connections = users.map((user, index) =>
		hub.connect(user, (event: LiveEvent) => {
			if (event.type !== 'result') return;
			subscribed.add(index);
			if (seen.has(index)) return;
			const rows = event.value as { userId: string; status: string }[];
			if (rows.find((r) => r.userId === writer.id)?.status !== expected) return;
			seen.add(index);
			if (measuring) latencies.push(now() - roundStart);
			if (--pending === 0) roundDone();
		})
	);
	users.forEach((user, i) => hub.subscribe(connections[i]!.id, user, [{ subId: 'roster', name: 'agentStatus:list', args: {} }]));
	for (let waited = 0; subscribed.size < clients; waited += 10) {
		if (waited > 10_000) throw new Error(`only ${subscribed.size} of ${clients} clients got their first result`);
		await new Promise((r) => setTimeout(r, 10));
	}

	const mutationMs: number[] = [];
	try {
		const current = await hot.query(api.agentStatus.mine, {}, { subject: writer.id, role: writer.role, name: writer.name });
		for (let round = current?.status === START_STATUS ? 0 : -1; round < warmup + rounds; round++) {
			measuring = round >= warmup;
			expected = round < 0 ? START_STATUS : statusFor(round);
			seen.clear();
			pending = clients;
			const done = new Promise<void>((resolve, reject) => {
				roundDone = resolve;
				setTimeout(
					() => reject(new Error(`round ${round}: ${pending} of ${clients} clients got no update within 10 s`)),
					10_000
				).unref();
			});
			roundStart = now();
			const result = await hub.mutation(writer, 'agentStatus:setMine', { status: expected });
			if (!result.ok) throw new Error(`bench mutation failed: ${result.code} ${result.message}`);
			if (measuring) mutationMs.push(now() - roundStart);
			await done;
		}
	} finally {
		for (const c of connections) c.close();
		if (!options.hot) await hot.close();
	}
	return { via: 'hub', clients, rounds, latenciesMs: latencies, mutationMs };
}

export interface HttpPropagationOptions {
	/** The running app, e.g. http://localhost:3000. */
	baseUrl: string;
	/** A signed-in session's Cookie header; all clients and the writer use it (one agent, many devices). */
	cookie: string;
	clients?: number;
	rounds?: number;
	warmup?: number;
}

/** The same measurement over HTTP: N SSE streams, mutations through POST /api/live/mutation. */
export async function benchLivePropagationHttp(options: HttpPropagationOptions): Promise<LivePropagationResult> {
	const clients = options.clients ?? 50;
	const rounds = options.rounds ?? 30;
	const warmup = options.warmup ?? 3;
	const base = options.baseUrl.replace(/\/+$/, '');
	const headers = { cookie: options.cookie, origin: base };
	const abort = new AbortController();

	const streams = await Promise.all(
		Array.from({ length: clients }, async () => {
			const res = await fetch(`${base}/api/live`, { headers, signal: abort.signal });
			if (!res.ok || !res.body) throw new Error(`GET /api/live answered ${res.status}`);
			const events = new EventQueue(res.body);
			const { connectionId } = await events.next(isHello, 10_000);
			const sub = await fetch(`${base}/api/live/subscribe`, {
				method: 'POST',
				headers: { ...headers, 'content-type': 'application/json' },
				body: JSON.stringify({ connectionId, subscriptions: [{ subId: 'me', name: 'agentStatus:mine', args: {} }] })
			});
			if (!sub.ok) throw new Error(`POST /api/live/subscribe answered ${sub.status}: ${await sub.text()}`);
			const first = await events.next(isResultFor('me'), 10_000);
			return { events, status: (first.value as { status?: string } | null)?.status };
		})
	);

	const latencies: number[] = [];
	const mutationMs: number[] = [];
	try {
		for (let round = streams[0]?.status === START_STATUS ? 0 : -1; round < warmup + rounds; round++) {
			const status = round < 0 ? START_STATUS : statusFor(round);
			const started = now();
			const waits = streams.map(async ({ events }) => {
				for (;;) {
					const event = await events.next(isResultFor('me'), 10_000);
					if ((event.value as { status?: string } | null)?.status === status) return now() - started;
				}
			});
			const res = await fetch(`${base}/api/live/mutation`, {
				method: 'POST',
				headers: { ...headers, 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'agentStatus:setMine', args: { status } })
			});
			if (!res.ok) throw new Error(`POST /api/live/mutation answered ${res.status}: ${await res.text()}`);
			const mutation = now() - started;
			const received = await Promise.all(waits);
			if (round >= warmup) {
				mutationMs.push(mutation);
				latencies.push(...received);
			}
		}
	} finally {
		abort.abort();
	}
	return { via: 'http', clients, rounds, latenciesMs: latencies, mutationMs };
}

/** The q-th percentile (0-100) of `values`, nearest-rank. */
export function percentile(values: number[], q: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1));
	return sorted[rank] ?? Number.NaN;
}
