/**
 * Test helper: a fake Ably on 127.0.0.1 speaking Ably's REST publish and enough of its realtime
 * protocol (JSON over a WebSocket: CONNECTED, ATTACH/ATTACHED, MESSAGE, CLOSE/CLOSED, channel
 * ERROR) for the real `ably` client to subscribe. Messages published over REST reach every
 * connection attached to the channel. Faults imitate Ably's own refusals. Test code only.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FaultQueue, sendJson, stall, startFakeHttpServer, type FakeHttpServer } from '../test-http-server';

/**
 * throttle: 429 (Ably 42910) with Retry-After; server-error: 500 (50000); stall: no answer;
 * invalid-data: 400 (40013, Ably's refusal of message data); attach-denied: the next ATTACH is
 * answered with a channel ERROR 40160 (the key's capability lacks subscribe).
 */
export type BroadcastFault = 'throttle' | 'server-error' | 'stall' | 'invalid-data' | 'attach-denied';

const ACTION = { CONNECTED: 4, CLOSE: 7, CLOSED: 8, ERROR: 9, ATTACH: 10, ATTACHED: 11, DETACH: 12, DETACHED: 13, MESSAGE: 15 } as const;
/** PRESENCE | PUBLISH | SUBSCRIBE | PRESENCE_SUBSCRIBE channel mode flags. */
const ALL_MODES = (1 << 16) | (1 << 17) | (1 << 18) | (1 << 19);

/** One WebSocket text frame, unmasked as servers send them. */
function frame(text: string): Buffer {
	const payload = Buffer.from(text);
	const len = payload.length;
	const header = len < 126 ? Buffer.from([0x81, len]) : len < 65536 ? Buffer.from([0x81, 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([0x81, 127]), bigLength(len)]);
	return Buffer.concat([header, payload]);
}

function bigLength(len: number): Buffer {
	const b = Buffer.alloc(8);
	b.writeBigUInt64BE(BigInt(len));
	return b;
}

/** Complete frames in `buf` (clients always mask): their opcodes and payloads, and what is left over. */
function readFrames(buf: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
	const frames: { opcode: number; payload: Buffer }[] = [];
	let at = 0;
	while (buf.length - at >= 2) {
		const opcode = buf[at]! & 0x0f;
		let len = buf[at + 1]! & 0x7f;
		let head = 2;
		if (len === 126) {
			if (buf.length - at < 4) break;
			len = buf.readUInt16BE(at + 2);
			head = 4;
		} else if (len === 127) {
			if (buf.length - at < 10) break;
			len = Number(buf.readBigUInt64BE(at + 2));
			head = 10;
		}
		if (buf.length - at < head + 4 + len) break;
		const mask = buf.subarray(at + head, at + head + 4);
		const payload = Buffer.from(buf.subarray(at + head + 4, at + head + 4 + len));
		for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
		frames.push({ opcode, payload });
		at += head + 4 + len;
	}
	return { frames: frames, rest: buf.subarray(at) };
}

export interface FakeAbly extends FakeHttpServer {
	faults: FaultQueue<BroadcastFault>;
	/** Message IDs of every REST publish, in arrival order (retries of one message repeat its ID). */
	publishedIds: string[];
}

export async function startFakeAbly(): Promise<FakeAbly> {
	const faults = new FaultQueue<BroadcastFault>();
	const publishedIds: string[] = [];
	const attached = new Map<Socket, Set<string>>();
	let serial = 0;

	const send = (socket: Socket, message: object) => socket.write(frame(JSON.stringify(message)));

	function onProtocolMessage(socket: Socket, msg: { action: number; channel?: string }) {
		const channels = attached.get(socket)!;
		if (msg.action === ACTION.ATTACH && msg.channel) {
			if (faults.take() === 'attach-denied') {
				send(socket, { action: ACTION.ERROR, channel: msg.channel, error: { code: 40160, statusCode: 401, message: `Channel denied access based on given capability; channel = ${msg.channel}` } });
				return;
			}
			channels.add(msg.channel);
			send(socket, { action: ACTION.ATTACHED, channel: msg.channel, flags: ALL_MODES });
		} else if (msg.action === ACTION.DETACH && msg.channel) {
			channels.delete(msg.channel);
			send(socket, { action: ACTION.DETACHED, channel: msg.channel });
		} else if (msg.action === ACTION.CLOSE) {
			send(socket, { action: ACTION.CLOSED });
			socket.end();
		}
	}

	function onUpgrade(req: IncomingMessage, socket: Socket) {
		const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
		socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
		attached.set(socket, new Set());
		socket.on('close', () => attached.delete(socket));
		const id = `conn${++serial}`;
		send(socket, {
			action: ACTION.CONNECTED,
			connectionId: id,
			connectionDetails: { connectionKey: `${id}!key`, maxMessageSize: 65536, maxInboundRate: 50, maxFrameSize: 262144, maxIdleInterval: 0, connectionStateTtl: 120000, serverId: 'fake' }
		});
		let pending: Buffer = Buffer.alloc(0);
		socket.on('data', (chunk: Buffer) => {
			const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
			pending = rest;
			for (const f of frames) {
				if (f.opcode === 8) socket.end();
				else if (f.opcode === 1) onProtocolMessage(socket, JSON.parse(f.payload.toString('utf8')) as { action: number; channel?: string });
			}
		});
	}

	function serveFault(fault: BroadcastFault, res: ServerResponse) {
		if (fault === 'stall') return stall(res);
		if (fault === 'throttle') return sendJson(res, 429, { error: { code: 42910, statusCode: 429, message: 'Rate limit exceeded; request rejected' } }, { 'retry-after': '1' });
		if (fault === 'server-error') return sendJson(res, 500, { error: { code: 50000, statusCode: 500, message: 'Internal error' } });
		return sendJson(res, 400, { error: { code: 40013, statusCode: 400, message: 'Invalid message data or encoding' } });
	}

	const server = await startFakeHttpServer(
		(req, res) => {
			const m = /^\/channels\/([^/]+)\/messages$/.exec(req.path);
			if (req.method !== 'POST' || !m) return sendJson(res, 404, { error: { code: 40400, statusCode: 404, message: 'Not found' } });
			const body = req.json() as object | object[];
			const messages = (Array.isArray(body) ? body : [body]) as { id?: string }[];
			publishedIds.push(...messages.map((msg) => msg.id ?? ''));
			const fault = faults.take();
			if (fault) return serveFault(fault, res);
			const channel = decodeURIComponent(m[1]!);
			const timestamp = Date.now();
			for (const [socket, channels] of attached) {
				if (!channels.has(channel)) continue;
				send(socket, { action: ACTION.MESSAGE, channel, id: `msg${++serial}`, connectionId: 'rest', timestamp, messages: messages.map((msg) => ({ ...msg, timestamp })) });
			}
			sendJson(res, 201, { channel, messageId: messages[0]?.id ?? 'x' });
		},
		{ onUpgrade }
	);
	return Object.assign(server, { faults, publishedIds });
}
