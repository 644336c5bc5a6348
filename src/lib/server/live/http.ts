/**
 * HTTP faces of the local live path, kept out of the route files so they stay thin and the
 * tests can drive them without a server: the event stream (SSE), subscribe/unsubscribe, and
 * browser mutations. Bodies are validated here; every answer is JSON.
 */
import { z } from 'zod';
import type { LiveEvent, LiveFailure, LiveHub, LiveUser } from './hub';

/** Browsers reconnect after this long when the stream drops (their own backoff takes over after). */
export const SSE_RETRY_MS = 2_000;
export const SSE_HEARTBEAT_MS = 15_000;
/** A reader this far behind is dropped; it reconnects and starts from fresh results. */
const SSE_MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

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

const NO_STORE = { 'cache-control': 'no-store' };

export function jsonResponse(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...NO_STORE } });
}

export function failure(f: LiveFailure): Response {
	return jsonResponse({ ok: false, code: f.code, message: f.message }, f.status);
}

export const unauthenticated = () => failure({ status: 401, code: 'UNAUTHENTICATED', message: 'Sign in to continue.' });

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
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
		return failure({ status: 400, code: 'BAD_REQUEST', message: `${where}${issue?.message ?? 'invalid request'}` });
	}
	return parsed.data;
}

/**
 * The browser's event stream: a `retry:` hint, the hello event carrying the connection id, then
 * results and errors as JSON `data:` lines, with comment heartbeats so proxies keep it open.
 * Subscriptions end when the stream closes.
 */
export function eventStream(hub: LiveHub, user: LiveUser, signal: AbortSignal, heartbeatMs = SSE_HEARTBEAT_MS): Response {
	const encoder = new TextEncoder();
	let cleanup = () => {};
	const stream = new ReadableStream<Uint8Array>(
		{
			start(controller) {
				let open = true;
				const write = (text: string) => {
					if (!open) return;
					try {
						controller.enqueue(encoder.encode(text));
					} catch {
						cleanup();
						return;
					}
					if ((controller.desiredSize ?? 0) < -SSE_MAX_BACKLOG_BYTES) cleanup();
				};
				write(`retry: ${SSE_RETRY_MS}\n\n`);
				const connection = hub.connect(user, (event: LiveEvent) => write(`data: ${JSON.stringify(event)}\n\n`));
				const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
				cleanup = () => {
					if (!open) return;
					open = false;
					clearInterval(heartbeat);
					connection.close();
					signal.removeEventListener('abort', cleanup);
					try {
						controller.close();
					} catch {
						// Already closed by the runtime.
					}
				};
				if (signal.aborted) cleanup();
				else signal.addEventListener('abort', cleanup);
			},
			cancel() {
				cleanup();
			}
		},
		new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 })
	);
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		}
	});
}

export async function subscribeRequest(hub: LiveHub, user: LiveUser, request: Request): Promise<Response> {
	const body = await readBody(request, ZSubscribeRequest);
	if (body instanceof Response) return body;
	const refused = hub.subscribe(
		body.connectionId,
		user,
		body.subscriptions.map((s) => ({ subId: s.subId, name: s.name, args: s.args }))
	);
	return refused ? failure(refused) : jsonResponse({ ok: true });
}

export async function unsubscribeRequest(hub: LiveHub, user: LiveUser, request: Request): Promise<Response> {
	const body = await readBody(request, ZUnsubscribeRequest);
	if (body instanceof Response) return body;
	const refused = hub.unsubscribe(body.connectionId, user, body.subIds);
	return refused ? failure(refused) : jsonResponse({ ok: true });
}

export async function mutationRequest(hub: LiveHub, user: LiveUser, request: Request): Promise<Response> {
	const body = await readBody(request, ZMutationRequest);
	if (body instanceof Response) return body;
	const result = await hub.mutation(user, body.name, body.args);
	return result.ok ? jsonResponse(result) : failure(result);
}
