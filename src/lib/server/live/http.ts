/**
 * HTTP faces of the local live path, kept out of the route files so they stay thin and the
 * tests can drive them without a server: the event stream (SSE), subscribe/unsubscribe, and
 * browser mutations. Bodies are validated here; every answer is JSON.
 */
import { z } from 'zod';
import { badRequest } from '../http/bad-request';
import { json, problem } from '../http/responses';
import { sseResponse } from '../http/sse';
import type { LiveEvent, LiveFailure, LiveHub, LiveUser } from './hub';

const FunctionName = z
	.string()
	.max(128)
	.regex(/^[A-Za-z0-9_/]+:[A-Za-z0-9_]+$/, 'name is "module:function", e.g. "contactTabs:open"');
const Args = z.record(z.string(), z.json()).default({});
const SubId = z.string().min(1).max(64);
const ConnectionId = z.string().min(1).max(64);

export const ZSubscribeRequest = z.object({
	connectionId: ConnectionId,
	subscriptions: z.array(z.object({ subId: SubId, name: FunctionName, args: Args })).max(200)
});
export const ZUnsubscribeRequest = z.object({ connectionId: ConnectionId, subIds: z.array(SubId).max(200) });
export const ZMutationRequest = z.object({ name: FunctionName, args: Args });

export function failure(f: LiveFailure): Response {
	return problem(f.status, f.code, f.message);
}

/** For the local-path endpoints when LIVE=convex: browsers then talk to Convex directly. */
export const notLocal = () =>
	failure({
		status: 404,
		code: 'NOT_LOCAL',
		message: 'Live updates come from Convex directly (LIVE=convex); this endpoint serves LIVE=local.'
	});

async function readBody<T>(request: Request, schema: z.ZodType<T>): Promise<T | Response> {
	let raw: unknown;
	try {
		raw = await request.json();
	} catch {
		return failure({ status: 400, code: 'BAD_REQUEST', message: 'The request body must be JSON.' });
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) return badRequest(parsed.error.issues);
	return parsed.data;
}

/**
 * The browser's event stream: a `retry:` hint, the hello event carrying the connection id, then
 * results and errors as JSON `data:` lines, with comment heartbeats so proxies keep it open.
 * Subscriptions end when the stream closes.
 */
export function eventStream(hub: LiveHub, user: LiveUser, signal: AbortSignal, heartbeatMs?: number): Response {
	return sseResponse(
		signal,
		(sink) => {
			const connection = hub.connect(user, (event: LiveEvent) => sink.send(event));
			return () => connection.close();
		},
		heartbeatMs
	);
}

export async function subscribeRequest(hub: LiveHub, user: LiveUser, request: Request): Promise<Response> {
	const body = await readBody(request, ZSubscribeRequest);
	if (body instanceof Response) return body;
	const refused = hub.subscribe(
		body.connectionId,
		user,
		body.subscriptions.map((s) => ({ subId: s.subId, name: s.name, args: s.args }))
	);
	return refused ? failure(refused) : json({ ok: true });
}

export async function unsubscribeRequest(hub: LiveHub, user: LiveUser, request: Request): Promise<Response> {
	const body = await readBody(request, ZUnsubscribeRequest);
	if (body instanceof Response) return body;
	const refused = hub.unsubscribe(body.connectionId, user, body.subIds);
	return refused ? failure(refused) : json({ ok: true });
}

export async function mutationRequest(hub: LiveHub, user: LiveUser, request: Request): Promise<Response> {
	const body = await readBody(request, ZMutationRequest);
	if (body instanceof Response) return body;
	const result = await hub.mutation(user, body.name, body.args);
	return result.ok ? json(result) : failure(result);
}
