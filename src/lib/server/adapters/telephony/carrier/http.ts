/**
 * The carrier's HTTP surface, framework-free (web Request in, Response out) so the SvelteKit
 * route stays thin and tests serve it from node:http: Twilio's REST paths under
 * `/2010-04-01/...` (Basic auth with the account's credentials) and the scenario endpoints
 * under `/scenario/...` (JSON) that `npm run carrier` calls.
 */
import { z } from 'zod';
import { serveTwilioRest } from './rest';
import type { CarrierEngine } from './engine';
import type { WebhookKind } from './webhooks';
import { PHONE_MODES, type PhoneMode } from './parties';
import { E164, E164_SOURCE, sidSource } from '../../../../phone-rules';
import { SMS_BODY_MAX } from '../../../../sms/limits';
import { errorMessage } from '../../../../errors';
import { describeIssues } from '../../../http/bad-request';

const ZScript = z.array(z.object({ speaker: z.enum(['customer', 'agent']), text: z.string().min(1).max(2000) })).max(200);
const ZPhone = z.string().regex(E164, 'use an E.164 number such as +14155550100');
const ZCall = z.object({ from: ZPhone.or(z.literal('anonymous')), to: ZPhone, script: ZScript.optional() });
const ZText = z.object({ from: ZPhone, to: ZPhone, body: z.string().max(SMS_BODY_MAX), mediaUrls: z.array(z.url()).max(10).optional() });
const SCENARIO_CALL = new RegExp(`^/calls/(${sidSource('CA')})(?:/(digits|hangup))?$`);
const SCENARIO_PHONE = new RegExp(String.raw`^/phones/(${E164_SOURCE})/(answer|reject|mode)$`);
const ZPhoneMode = z.object({
	mode: z.enum(PHONE_MODES as [PhoneMode, ...PhoneMode[]]),
	greeting: z.string().min(1).max(500).optional(),
	afterMs: z.number().int().min(0).max(120_000).optional()
});
const ZDigits = z.object({ digits: z.string().regex(/^[0-9*#w]+$/, 'digits are 0-9, * and #') });
const ZHold = z.object({ kinds: z.array(z.string()).optional() });
const ZRelease = z.object({ order: z.union([z.array(z.number().int()), z.literal('reverse')]).optional() });

function json(status: number, body: unknown): Response {
	return new Response(JSON.stringify(body, null, 2), { status, headers: { 'content-type': 'application/json' } });
}

function problem(status: number, message: string): Response {
	return json(status, { error: message });
}

async function body<T>(request: Request, schema: z.ZodType<T>): Promise<T | Response> {
	let raw: unknown = {};
	const text = await request.text();
	if (text.trim()) {
		try {
			raw = JSON.parse(text);
		} catch {
			return problem(400, 'The body must be JSON.');
		}
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) return problem(400, describeIssues(parsed.error.issues));
	return parsed.data;
}

/** Answer a request for `path` (below the carrier's mount point, starting with `/`). */
export async function handleCarrierHttp(engine: CarrierEngine, request: Request, path: string): Promise<Response> {
	if (path.startsWith('/2010-04-01/')) return serveTwilioRest(engine.carrier, request, path, engine);
	if (path.startsWith('/scenario/')) return scenario(engine, request, path.slice('/scenario'.length));
	return problem(404, `No carrier resource at ${path}. REST lives under /2010-04-01/, the scenario API under /scenario/.`);
}

/** `GET /scenario/conferences/{nameOrSid}/audio`: who hears whom in a live conference (404 when none). */
function audioRouting(engine: CarrierEngine, key: string): Response {
	try {
		return json(200, engine.audioRouting(key));
	} catch {
		return problem(404, `No live conference ${key}.`);
	}
}

async function scenario(engine: CarrierEngine, request: Request, path: string): Promise<Response> {
	const s = engine.scenario;
	const post = request.method === 'POST';
	if (path === '/state' && request.method === 'GET') return json(200, s.state());
	if (path === '/call' && post) {
		const input = await body(request, ZCall);
		if (input instanceof Response) return input;
		const call = s.placeCall(input);
		return json(201, { callSid: call.sid, from: call.from, to: call.to });
	}
	if (path === '/text' && post) {
		const input = await body(request, ZText);
		if (input instanceof Response) return input;
		const text = await s.sendText(input);
		return json(201, { messageSid: text.sid, webhook: text.webhook });
	}
	let m = SCENARIO_CALL.exec(path);
	if (m?.[1]) {
		if (!m[2] && request.method === 'GET') {
			const call = s.call(m[1]);
			return call ? json(200, call) : problem(404, `No call ${m[1]}.`);
		}
		if (m[2] === 'hangup' && post) {
			s.hangUp(m[1]);
			return json(200, s.call(m[1]));
		}
		if (m[2] === 'digits' && post) {
			const input = await body(request, ZDigits);
			if (input instanceof Response) return input;
			s.pressKeys(m[1], input.digits);
			return json(200, s.call(m[1]));
		}
	}
	m = /^\/agents\/([^/\s]{1,256})\/(register|answer|reject)$/.exec(path);
	if (m?.[1] && post) {
		const identity = decodeURIComponent(m[1]);
		if (m[2] === 'register') {
			s.agent(identity);
			return json(200, { identity, registered: true });
		}
		const call = m[2] === 'answer' ? s.answerAs(identity) : s.rejectAs(identity);
		return call ? json(200, { callSid: call.sid, parameters: call.parameters, customParameters: Object.fromEntries(call.customParameters) }) : problem(409, `Nothing is ringing at client:${identity}.`);
	}
	m = SCENARIO_PHONE.exec(path);
	if (m?.[1] && post && m[2] === 'mode') {
		const input = await body(request, ZPhoneMode);
		if (input instanceof Response) return input;
		return json(200, s.phoneMode(m[1], input));
	}
	if (m?.[1] && post) {
		const call = s.answerPhone(m[1], m[2] === 'reject');
		return call ? json(200, { callSid: call.sid }) : problem(409, `Nothing is ringing at ${m[1]}.`);
	}
	m = /^\/conferences\/([^/\s]{1,256})\/audio$/.exec(path);
	if (m?.[1] && request.method === 'GET') return audioRouting(engine, decodeURIComponent(m[1]));
	if (path === '/deliveries/hold' && post) {
		const input = await body(request, ZHold);
		if (input instanceof Response) return input;
		s.holdDeliveries((input.kinds ?? []) as WebhookKind[]);
		return json(200, { holding: input.kinds ?? 'all informational callbacks' });
	}
	if (path === '/deliveries/release' && post) {
		const input = await body(request, ZRelease);
		if (input instanceof Response) return input;
		const sent = await s.releaseDeliveries(input.order ?? []);
		return json(200, { released: sent.map((d) => d.id) });
	}
	m = /^\/deliveries\/(\d+)\/replay$/.exec(path);
	if (m?.[1] && post) {
		try {
			const d = await s.replayDelivery(Number(m[1]));
			return json(200, { id: d.id, replayOf: d.replayOf, idempotencyToken: d.idempotencyToken, outcome: d.outcome });
		} catch (err) {
			return problem(404, errorMessage(err));
		}
	}
	return problem(404, `No scenario endpoint ${request.method} ${path}.`);
}
