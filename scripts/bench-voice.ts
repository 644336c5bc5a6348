/**
 * Voice measurements for `npm run bench`, against the production build with the local carrier:
 *
 *   benchWebhookThroughput  signed POST /webhooks/twilio/voice (a new CallSid each, the carrier's
 *                           exact parameters and X-Twilio-Signature) at a fixed concurrency;
 *                           the same load, from the same client, against a bare node:http server
 *                           that checks the same signature and answers fixed TwiML is the
 *                           baseline (startFixedTwimlServer)
 *   benchScreenPop          N agents signed in, each in their own Chromium page; a customer
 *                           calls through the carrier; timed from the carrier sending the
 *                           incoming-call webhook to the agent's softphone showing the ring with
 *                           the caller's name (read in the page, at the next animation frame)
 *
 * Both live here rather than in src/ because they drive a browser and sign as Twilio does from
 * outside the app, exactly as the carrier and a person would.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import twilio from 'twilio';
import { callParams } from '../src/lib/server/adapters/telephony/carrier/params';
import { carrierAuthorization, type CarrierAccount } from '../src/lib/server/auth/carrier-client';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export interface Session {
	id: string;
	email: string;
	cookie: string;
}

/** Sign in through better-auth's email endpoint; returns the session's Cookie header. */
export async function signIn(base: string, email: string, password: string): Promise<Session> {
	const res = await fetch(`${base}/api/auth/sign-in/email`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: base },
		body: JSON.stringify({ email, password })
	});
	if (!res.ok) throw new Error(`sign-in as ${email} answered ${res.status}: ${await res.text()}`);
	const body = (await res.json()) as { user?: { id?: string } };
	const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	return { id: body.user?.id ?? '', email, cookie };
}

async function trpcMutation<T>(base: string, cookie: string, path: string, input: unknown): Promise<T> {
	const res = await fetch(`${base}/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: base, cookie },
		body: JSON.stringify(input)
	});
	const body = (await res.json()) as { result?: { data?: T }; error?: { message?: string } };
	if (!res.ok || !body.result) throw new Error(`${path} answered ${res.status}: ${body.error?.message ?? JSON.stringify(body)}`);
	return body.result.data as T;
}

export async function liveMutation(base: string, cookie: string, name: string, args: unknown): Promise<unknown> {
	const res = await fetch(`${base}/api/live/mutation`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: base, cookie },
		body: JSON.stringify({ name, args })
	});
	if (!res.ok) throw new Error(`live mutation ${name} answered ${res.status}: ${await res.text()}`);
	return res.json();
}

/** Create `count` agents with `skill` through the admin's own tools (tRPC admin.createUser, agentSkills:setForAgent). */
export async function createBenchAgents(base: string, admin: Session, count: number, skill: string): Promise<Session[]> {
	const password = `bench-${hex(8)}`;
	const run = hex(3);
	const agents: Session[] = [];
	for (let i = 0; i < count; i++) {
		const email = `bench-agent-${run}-${i}@switchboard.local`;
		const user = await trpcMutation<{ id: string }>(base, admin.cookie, 'admin.createUser', {
			name: `Bench Agent ${i + 1}`,
			email,
			password,
			role: 'agent'
		});
		await liveMutation(base, admin.cookie, 'agentSkills:setForAgent', { userId: user.id, skills: [{ skill, level: 3 }] });
		agents.push(await signIn(base, email, password));
	}
	return agents;
}

// --- webhook throughput -------------------------------------------------------------------------

export interface LoadResult {
	requests: number;
	concurrency: number;
	seconds: number;
	perSecond: number;
	latenciesMs: number[];
	statuses: Record<string, number>;
}

/**
 * `requests` POSTs, `concurrency` in flight at all times; `make(i)` builds request i. Sent with
 * node:http over `concurrency` kept-alive connections rather than fetch: the load generator
 * shares the machine's two cores with the server it measures, and fetch (undici's WHATWG
 * layer) cost about twice the client CPU per request. Every request is built and signed
 * before the clock starts, so the run measures sending and answering, not the client's HMAC
 * and form encoding (as Twilio's requests come from other machines). Both sides of a comparison
 * use this.
 */
async function load(
	url: string,
	requests: number,
	concurrency: number,
	make: (i: number) => { body: string; headers: Record<string, string> }
): Promise<LoadResult> {
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	const prepared = Array.from({ length: requests }, (_, i) => {
		const { body, headers } = make(i);
		return { body, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } };
	});
	const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
	const post = (body: string, headers: Record<string, string>) =>
		new Promise<number>((resolve, reject) => {
			const req = request(url, { method: 'POST', agent, headers }, (res) => {
				res.on('data', () => {});
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end(body);
		});
	let next = 0;
	const started = performance.now();
	try {
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				for (let i = next++; i < requests; i = next++) {
					const { body, headers } = prepared[i]!;
					const t0 = performance.now();
					const status = await post(body, headers);
					latencies.push(performance.now() - t0);
					statuses[status] = (statuses[status] ?? 0) + 1;
				}
			})
		);
	} finally {
		agent.destroy();
	}
	const seconds = (performance.now() - started) / 1000;
	return { requests, concurrency, seconds, perSecond: requests / seconds, latenciesMs: latencies, statuses };
}

export interface WebhookLoadOptions {
	/** Where to send (the app's origin). */
	baseUrl: string;
	/** What Twilio signs: PUBLIC_BASE_URL + path. */
	publicBaseUrl: string;
	authToken: string;
	accountSid: string;
	/** A Switchboard number. */
	to: string;
	requests: number;
	concurrency: number;
}

/** A fresh incoming call per request: the carrier's parameters, signed, with an idempotency token. */
function incomingCall(o: WebhookLoadOptions): { body: string; headers: Record<string, string> } {
	const path = '/webhooks/twilio/voice';
	const from = `+1646555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
	const params = callParams({ sid: `CA${hex(16)}`, accountSid: o.accountSid, from, to: o.to, status: 'ringing', direction: 'inbound', parentCallSid: null });
	return {
		body: new URLSearchParams(params).toString(),
		headers: {
			'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
			'x-twilio-signature': twilio.getExpectedTwilioSignature(o.authToken, `${o.publicBaseUrl}${path}`, params),
			'i-twilio-idempotency-token': crypto.randomUUID()
		}
	};
}

export async function benchWebhookThroughput(o: WebhookLoadOptions): Promise<LoadResult> {
	// The signing is part of the client's cost in both runs, so the baseline pays it too.
	return load(`${o.baseUrl}/webhooks/twilio/voice`, o.requests, o.concurrency, () => incomingCall(o));
}

/**
 * The floor: node:http doing what any signed webhook must (read the form, check
 * X-Twilio-Signature with twilio.validateRequest against the URL Twilio signed) and answering
 * `twiml`; a request whose signature does not match gets 403, as from the app.
 */
export async function startFixedTwimlServer(twiml: string, authToken: string, publicBaseUrl: string): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
			const signature = String(req.headers['x-twilio-signature'] ?? '');
			if (!twilio.validateRequest(authToken, signature, `${publicBaseUrl}${req.url ?? '/'}`, params)) {
				res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
				res.end('X-Twilio-Signature does not match this request.');
				return;
			}
			res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
			res.end(twiml);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export async function benchFixedTwiml(o: WebhookLoadOptions, url: string): Promise<LoadResult> {
	return load(`${url}/webhooks/twilio/voice`, o.requests, o.concurrency, () => incomingCall(o));
}

/** One incoming call's TwiML as the app answers it, for the baseline server to answer. */
export async function sampleIncomingTwiml(o: WebhookLoadOptions): Promise<string> {
	const { body, headers } = incomingCall(o);
	const res = await fetch(`${o.baseUrl}/webhooks/twilio/voice`, { method: 'POST', headers, body });
	const text = await res.text();
	if (res.status !== 200 || !text.startsWith('<?xml')) throw new Error(`the incoming-call webhook answered ${res.status}: ${text.slice(0, 200)}`);
	return text;
}

// --- screen pop ---------------------------------------------------------------------------------

interface Ring {
	at: number;
	from: string;
	name: string;
}

/** In every page: when the softphone shows a ringing call, report it at the next frame. */
const RING_WATCH = `(() => {
	let ringing = false;
	const check = () => {
		const call = document.querySelector('[data-testid="softphone-call"][data-phase="ringing"]');
		if (!call) { ringing = false; return; }
		if (ringing) return;
		ringing = true;
		requestAnimationFrame(() => {
			const text = (id) => (call.querySelector('[data-testid="' + id + '"]')?.textContent ?? '').trim();
			window.__benchRing?.({ at: Date.now(), from: text('softphone-caller-number'), name: text('softphone-caller-name') });
		});
	};
	new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
})();`;

interface CarrierState {
	calls: { sid: string; parentCallSid: string | null; dateCreated: string; to: string }[];
	deliveries: { kind: string; callSid: string | null; sentAt: string | null; ms: number | null }[];
}

export interface ScreenPopOptions {
	baseUrl: string;
	agents: Session[];
	/** The Switchboard number whose queue the agents serve. */
	number: string;
	/** Caller IDs of known customers (the screen pop shows their names). */
	callers: string[];
	rounds?: number;
	warmup?: number;
	/** The carrier's account (its Basic credentials open /carrier/scenario). */
	carrierAccount: CarrierAccount;
}

export interface ScreenPopResult {
	/** Incoming-call webhook sent by the carrier -> ring with the caller's name shown in the page. */
	latenciesMs: number[];
	/** Same start -> the carrier begins ringing the agent's Client (TwiML answered, consent notice played, Dial started). */
	carrierMs: number[];
	/** The incoming-call webhook's own response time, as the carrier measured it. */
	webhookMs: number[];
	/** Distinct agents that rang. */
	agentsRung: number;
	withName: number;
}

async function waitFor<T>(what: string, ms: number, probe: () => T | null | undefined | Promise<T | null | undefined>): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

export async function benchScreenPop(o: ScreenPopOptions): Promise<ScreenPopResult> {
	const rounds = o.rounds ?? 25;
	const warmup = o.warmup ?? 2;
	const base = o.baseUrl.replace(/\/+$/, '');
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	const rings: { agent: number; ring: Ring }[] = [];
	const pages: Page[] = [];
	try {
		const host = new URL(base).hostname;
		for (const [index, agent] of o.agents.entries()) {
			const context: BrowserContext = await browser.newContext({ baseURL: base });
			await context.addCookies(
				agent.cookie.split('; ').map((pair) => {
					const at = pair.indexOf('=');
					return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: host, path: '/' };
				})
			);
			await context.exposeBinding('__benchRing', (_source, ring: Ring) => void rings.push({ agent: index, ring }));
			await context.addInitScript(RING_WATCH);
			const page = await context.newPage();
			await page.goto('/');
			await page.locator('[data-testid="softphone-registration"][data-state="ready"]').waitFor({ timeout: 30_000 });
			pages.push(page);
		}
		for (const agent of o.agents) await liveMutation(base, agent.cookie, 'agentStatus:setMine', { status: 'available' });

		const carrier = { authorization: carrierAuthorization(o.carrierAccount) };
		const carrierState = async () => (await (await fetch(`${base}/carrier/scenario/state`, { headers: carrier })).json()) as CarrierState;
		const result: ScreenPopResult = { latenciesMs: [], carrierMs: [], webhookMs: [], agentsRung: 0, withName: 0 };
		const rung = new Set<number>();
		for (let round = 0; round < warmup + rounds; round++) {
			const from = o.callers[round % o.callers.length]!;
			const before = rings.length;
			const placed = await fetch(`${base}/carrier/scenario/call`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...carrier },
				body: JSON.stringify({ from, to: o.number })
			});
			if (placed.status !== 201) throw new Error(`the carrier refused the call: ${placed.status} ${await placed.text()}`);
			const { callSid } = (await placed.json()) as { callSid: string };
			const { agent, ring } = await waitFor(`a ring for ${from}`, 20_000, () => rings.slice(before).find((r) => r.ring.from === from));
			const state = await carrierState();
			const incoming = state.deliveries.find((d) => d.kind === 'voice' && d.callSid === callSid);
			const agentLeg = state.calls.find((c) => c.parentCallSid === callSid);
			if (!incoming?.sentAt || !agentLeg) throw new Error(`the carrier has no incoming webhook or agent leg for ${callSid}`);
			const sent = Date.parse(incoming.sentAt);
			if (round >= warmup) {
				result.latenciesMs.push(ring.at - sent);
				result.carrierMs.push(Date.parse(agentLeg.dateCreated) - sent);
				result.webhookMs.push(incoming.ms ?? Number.NaN);
				if (ring.name) result.withName++;
				rung.add(agent);
			}
			// The caller gives up before an answer; the offer is withdrawn and the agent stays free.
			await fetch(`${base}/carrier/scenario/calls/${callSid}/hangup`, { method: 'POST', headers: carrier });
			const page = pages[agent]!;
			await page.locator('[data-testid="softphone-call"]').waitFor({ state: 'detached', timeout: 15_000 });
			await liveMutation(base, o.agents[agent]!.cookie, 'agentStatus:setMine', { status: 'available' }).catch(() => {});
		}
		result.agentsRung = rung.size;
		for (const agent of o.agents) await liveMutation(base, agent.cookie, 'agentStatus:setMine', { status: 'away' }).catch(() => {});
		return result;
	} finally {
		await browser.close();
	}
}
