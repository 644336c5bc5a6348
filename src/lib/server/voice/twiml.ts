/**
 * TwiML the call center answers with, as pure functions returning the exact string twilio-node's
 * VoiceResponse would produce (same declaration, attribute order as given, same escaping), so
 * the carrier twin and real Twilio read identical documents. Domain code may not import
 * `twilio`, and these few verbs do not need it.
 */

type Attrs = Record<string, string | number | boolean | undefined>;

interface Node {
	name: string;
	attrs?: Attrs;
	/** Child elements, or a text body. */
	children?: Node[] | string;
}

/** xmlbuilder's escaping, which twilio-node uses: text keeps `"` and `'`; attributes keep `>` and `'`. */
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
const escapeAttr = (s: string) =>
	s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/"/g, '&quot;')
		.replace(/\t/g, '&#x9;')
		.replace(/\n/g, '&#xA;')
		.replace(/\r/g, '&#xD;');

function render(node: Node): string {
	const attrs = Object.entries(node.attrs ?? {})
		.filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
		.map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
		.join('');
	const { children } = node;
	if (children === undefined || (Array.isArray(children) && children.length === 0)) return `<${node.name}${attrs}/>`;
	const body = typeof children === 'string' ? escapeText(children) : children.map(render).join('');
	return `<${node.name}${attrs}>${body}</${node.name}>`;
}

/** A whole document: `<?xml ...?><Response>...</Response>` (or `<Response/>` when empty). */
export function response(...verbs: Node[]): string {
	return `<?xml version="1.0" encoding="UTF-8"?>${render({ name: 'Response', children: verbs })}`;
}

export const say = (text: string, attrs?: { voice?: string; language?: string }): Node => ({ name: 'Say', attrs, children: text });
export const hangup = (): Node => ({ name: 'Hangup' });
export const reject = (reason?: 'rejected' | 'busy'): Node => ({ name: 'Reject', attrs: { reason } });
export const pause = (length: number): Node => ({ name: 'Pause', attrs: { length } });
export const leave = (): Node => ({ name: 'Leave' });
export const play = (url: string, attrs?: { loop?: number }): Node => ({ name: 'Play', attrs, children: url });
export const redirect = (url: string): Node => ({ name: 'Redirect', children: url });

export interface DialClientOptions {
	identity: string;
	/** Reach the browser as `call.customParameters`; values must be strings. */
	parameters?: Record<string, string>;
	/** Dial's own attributes. */
	action?: string;
	timeoutSeconds?: number;
	answerOnBridge?: boolean;
	/** Two-channel recording from the moment the agent answers. */
	record?: 'record-from-answer-dual';
	recordingStatusCallback?: string;
	/** The agent leg's progress events. */
	statusCallback?: string;
	statusCallbackEvent?: string;
}

/** `<Dial><Client>` to one agent's softphone, carrying the caller's details as Parameters. */
export function dialClient(o: DialClientOptions): Node {
	const parameters = Object.entries(o.parameters ?? {}).map(([name, value]): Node => ({ name: 'Parameter', attrs: { name, value } }));
	return {
		name: 'Dial',
		attrs: {
			answerOnBridge: o.answerOnBridge,
			action: o.action,
			timeout: o.timeoutSeconds,
			record: o.record,
			recordingStatusCallback: o.recordingStatusCallback
		},
		children: [
			{
				name: 'Client',
				attrs: { statusCallback: o.statusCallback, statusCallbackEvent: o.statusCallbackEvent },
				children: [{ name: 'Identity', children: o.identity }, ...parameters]
			}
		]
	};
}

/** Put the caller in a named queue; `waitUrl` plays while they wait, `action` runs when they leave it. */
export function enqueue(queue: string, o: { waitUrl?: string; action?: string } = {}): Node {
	return { name: 'Enqueue', attrs: { waitUrl: o.waitUrl, action: o.action }, children: queue };
}

/** Bridge this (agent) leg to the oldest caller in `queue`; `url` runs on the caller's leg first. */
export function dialQueue(queue: string, o: { url?: string } = {}): Node {
	return { name: 'Dial', children: [{ name: 'Queue', attrs: { url: o.url }, children: queue }] };
}

export interface RecordOptions {
	maxLength?: number;
	playBeep?: boolean;
	transcribe?: boolean;
	transcribeCallback?: string;
	recordingStatusCallback?: string;
	recordingStatusCallbackEvent?: string;
	/** Always give one: without it Twilio re-requests the same document and loops. */
	action: string;
}

export function record(o: RecordOptions): Node {
	return {
		name: 'Record',
		attrs: {
			maxLength: o.maxLength,
			playBeep: o.playBeep,
			transcribe: o.transcribe,
			transcribeCallback: o.transcribeCallback,
			recordingStatusCallback: o.recordingStatusCallback,
			recordingStatusCallbackEvent: o.recordingStatusCallbackEvent,
			action: o.action
		}
	};
}
