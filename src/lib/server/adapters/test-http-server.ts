/**
 * Test helper: a vendor imitation on 127.0.0.1 that records every request the real SDK sends,
 * so adapter tests assert method, path, headers and body without any network. Test code only.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path without the query string, still percent-encoded as sent. */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: Buffer;
	text(): string;
	/** The body parsed as application/x-www-form-urlencoded. */
	form(): URLSearchParams;
	json(): unknown;
}

export type FakeHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeHttpServer {
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

export interface FakeServerOptions {
	/** Take over connections that ask to upgrade (a WebSocket endpoint beside the REST one). */
	onUpgrade?: (req: IncomingMessage, socket: Socket) => void;
}

export async function startFakeHttpServer(handler: FakeHandler, options: FakeServerOptions = {}): Promise<FakeHttpServer> {
	const requests: RecordedRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const recorded: RecordedRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				body,
				text: () => body.toString('utf8'),
				form: () => new URLSearchParams(body.toString('utf8')),
				json: () => JSON.parse(body.toString('utf8')) as unknown
			};
			requests.push(recorded);
			Promise.resolve(handler(recorded, res)).catch((err: unknown) => {
				res.statusCode = 500;
				res.end(String(err));
			});
		});
	});
	const upgraded = new Set<Socket>();
	if (options.onUpgrade) {
		const onUpgrade = options.onUpgrade;
		server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
			upgraded.add(socket);
			socket.on('close', () => upgraded.delete(socket));
			onUpgrade(req, socket);
		});
	}
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve, reject) => {
				for (const socket of upgraded) socket.destroy();
				server.closeAllConnections();
				server.close((err) => (err ? reject(err) : resolve()));
			})
	};
}

/** Answer with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
}

/**
 * Faults a fake vendor serves instead of its normal answer, one per request in order, so a
 * contract can make the real SDK meet throttling, outages, stalls and the vendor's refusals.
 */
export class FaultQueue<K extends string> {
	readonly #queue: K[] = [];
	inject(...faults: K[]): void {
		this.#queue.push(...faults);
	}
	/** The fault for this request, if one is queued. */
	take(): K | undefined {
		return this.#queue.shift();
	}
	clear(): void {
		this.#queue.length = 0;
	}
}

/** Answer nothing: the response stalls until the client gives up (the server closes it at the end). */
export function stall(_res: ServerResponse): void {
	// Deliberately never ends the response.
}
