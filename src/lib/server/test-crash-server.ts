/**
 * Test code only: the real services (createServices) behind the carrier's webhook handlers on
 * node:http, as a process of its own that the crash test (crash-safety.db.test.ts) can SIGKILL and
 * start again on the same archive. Configured from the environment like the app (parseConfig);
 * prints `READY` once it listens. GET /__test/board answers hot state's call board as JSON, and
 * GET /__test/jobs?name=<queue> the queue's pg-boss jobs counted by state.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { sql } from 'drizzle-orm';
import { parseConfig } from './env';
import { rowsOf } from './db/rows';
import { createServices, type Services } from './services';
import { callStatusWebhook, incomingCallWebhook } from './calls/voice-webhooks';
import { VOICE_PATHS } from './calls/voice-paths';
import { inboundSmsWebhook, SMS_PATHS } from './sms/sms-webhooks';
import { api } from '$convex/_generated/api';

const HANDLERS: Record<string, (s: Services, r: Request, u: URL) => Promise<Response>> = {
	[VOICE_PATHS.incoming]: incomingCallWebhook,
	[VOICE_PATHS.status]: callStatusWebhook,
	[SMS_PATHS.inbound]: inboundSmsWebhook
};

async function body(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks);
}

const config = parseConfig(process.env);
const port = Number(process.env.PORT);
// Listening before the services are up, as the app does (hooks create them on first use): the
// media host must answer the jobs that start inside createServices, and webhooks wait for it.
const ready = createServices(config);

const server = createServer((req, res) => {
	void (async () => {
		try {
			const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
			// The local carrier's media host is this origin. With CRASH_HANG_MEDIA=1 a media fetch never
			// gets an answer, so its job is still running when the test kills this process.
			if (url.pathname.startsWith('/carrier/crash-media/')) {
				if (process.env.CRASH_HANG_MEDIA === '1') return;
				res.writeHead(404);
				res.end();
				return;
			}
			const services = await ready;
			if (req.method === 'GET' && url.pathname === '/__test/board') {
				const board = await services.hot.query(api.callBoard.board, {}, { subject: 'crash-test', role: 'admin', name: 'crash test' });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(board));
				return;
			}
			if (req.method === 'GET' && url.pathname === '/__test/jobs') {
				const result: unknown = await services.db.execute(sql`select state, count(*)::int as n from pgboss.job where name = ${url.searchParams.get('name')} group by state`);
				const rows = rowsOf<{ state: string; n: number }>(result);
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))));
				return;
			}
			const handler = HANDLERS[url.pathname];
			if (!handler || req.method !== 'POST') {
				res.writeHead(404);
				res.end();
				return;
			}
			const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : []));
			const request = new Request(url, { method: 'POST', headers, body: new Uint8Array(await body(req)) });
			const response = await handler(services, request, url);
			res.writeHead(response.status, Object.fromEntries(response.headers));
			res.end(Buffer.from(await response.arrayBuffer()));
		} catch (error) {
			res.writeHead(500);
			res.end(String(error));
		}
	})();
});
server.listen(port, '127.0.0.1');
await ready;
process.stdout.write('READY\n');
process.on('SIGTERM', () => {
	server.close();
	void ready.then((services) => services.close()).then(() => process.exit(0));
});
