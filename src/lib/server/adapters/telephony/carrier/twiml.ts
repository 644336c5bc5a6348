/**
 * A small strict XML parser for TwiML, and the checks Twilio makes before running a document.
 * Anything Twilio would refuse to parse (bad nesting, unknown entities, text outside the root,
 * a root other than <Response>, an unknown verb) becomes a TwimlError with Twilio's code 12100,
 * so the runtime can end the call or run the fallback as Twilio does.
 */

export interface XmlElement {
	name: string;
	attrs: Record<string, string>;
	children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class TwimlError extends Error {
	readonly code: number;
	constructor(message: string, code = 12100) {
		super(message);
		this.name = 'TwimlError';
		this.code = code;
	}
}

const NAME = /[A-Za-z_:][\w:.-]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
	return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
		if (!whole.endsWith(';')) throw new TwimlError(`Unterminated entity "${whole}" near offset ${at}`);
		if (ref in ENTITIES) return ENTITIES[ref]!;
		const num = /^#(x[0-9a-f]+|\d+)$/i.exec(ref);
		if (num?.[1]) {
			const code = num[1][0] === 'x' || num[1][0] === 'X' ? parseInt(num[1].slice(1), 16) : parseInt(num[1], 10);
			if (code > 0x10ffff) throw new TwimlError(`Invalid character reference &${ref}; near offset ${at}`);
			return String.fromCodePoint(code);
		}
		throw new TwimlError(`Unknown entity &${ref}; near offset ${at}`);
	});
}

/** Parse one XML document into its root element. Whitespace-only text between elements is dropped. */
export function parseXml(source: string): XmlElement {
	const reader = new XmlReader(source.replace(/^\uFEFF/, ''));
	reader.skipMisc();
	if (reader.atEnd()) reader.fail('Empty document');
	const root = reader.element();
	reader.skipMisc();
	if (!reader.atEnd()) reader.fail('Content after the root element');
	return root;
}

/** A cursor over the document: each method reads one construct at `i` and moves past it, or fails with its offset. */
class XmlReader {
	i = 0;
	constructor(readonly s: string) {}

	atEnd(): boolean {
		return this.i >= this.s.length;
	}

	fail(what: string): never {
		throw new TwimlError(`${what} at offset ${this.i}`);
	}

	name(): string {
		NAME.lastIndex = this.i;
		const m = NAME.exec(this.s);
		if (!m) return this.fail('Expected a name');
		this.i += m[0].length;
		return m[0];
	}

	skipSpace(): void {
		while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
	}

	/** Where the next `close` starts; none is an unterminated `what`. */
	find(close: string, what: string): number {
		const end = this.s.indexOf(close, this.i);
		return end < 0 ? this.fail(`Unterminated ${what}`) : end;
	}

	/** Past the next `close`: the end of a comment or processing instruction. */
	skipPast(close: string, what: string): void {
		this.i = this.find(close, what) + close.length;
	}

	/** Whitespace, processing instructions and comments around the root; a DOCTYPE is refused. */
	skipMisc(): void {
		const s = this.s;
		for (;;) {
			this.skipSpace();
			if (s.startsWith('<?', this.i)) {
				this.skipPast('?>', 'processing instruction');
			} else if (s.startsWith('<!--', this.i)) {
				this.skipPast('-->', 'comment');
			} else if (s.startsWith('<!DOCTYPE', this.i)) {
				this.fail('DOCTYPE is not allowed in TwiML');
			} else return;
		}
	}

	element(): XmlElement {
		if (this.s[this.i] !== '<') this.fail('Expected an element');
		this.i++;
		const el: XmlElement = { name: this.name(), attrs: {}, children: [] };
		if (this.attributes(el) === 'empty') return el;
		this.content(el);
		return el;
	}

	/** The attributes of a start tag, up to its `>` ('open') or `/>` ('empty'). */
	attributes(el: XmlElement): 'open' | 'empty' {
		const s = this.s;
		for (;;) {
			const before = this.i;
			this.skipSpace();
			if (s.startsWith('/>', this.i)) {
				this.i += 2;
				return 'empty';
			}
			if (s[this.i] === '>') {
				this.i++;
				return 'open';
			}
			if (this.i === before) this.fail(`Expected whitespace, ">" or "/>" in <${el.name}>`);
			const attr = this.name();
			this.skipSpace();
			if (s[this.i] !== '=') this.fail(`Attribute ${attr} has no value`);
			this.i++;
			this.skipSpace();
			const quote = s[this.i];
			if (quote !== '"' && quote !== "'") return this.fail(`Attribute ${attr} value must be quoted`);
			const end = s.indexOf(quote, this.i + 1);
			if (end < 0) this.fail(`Unterminated value of attribute ${attr}`);
			const raw = s.slice(this.i + 1, end);
			if (raw.includes('<')) this.fail(`"<" in the value of attribute ${attr}`);
			if (attr in el.attrs) this.fail(`Duplicate attribute ${attr} on <${el.name}>`);
			el.attrs[attr] = decode(raw, this.i);
			this.i = end + 1;
		}
	}

	/** Text, CDATA, comments and child elements up to the matching end tag. */
	content(el: XmlElement): void {
		const s = this.s;
		let text = '';
		const flush = () => {
			if (text.trim()) el.children.push(decode(text, this.i));
			text = '';
		};
		for (;;) {
			if (this.i >= s.length) this.fail(`Unclosed <${el.name}>`);
			if (s.startsWith('</', this.i)) {
				flush();
				this.endTag(el);
				return;
			}
			if (s.startsWith('<!--', this.i)) {
				this.skipPast('-->', 'comment');
			} else if (s.startsWith('<![CDATA[', this.i)) {
				const end = this.find(']]>', 'CDATA section');
				flush();
				el.children.push(s.slice(this.i + 9, end));
				this.i = end + 3;
			} else if (s[this.i] === '<') {
				flush();
				el.children.push(this.element());
			} else {
				text += s[this.i];
				this.i++;
			}
		}
	}

	endTag(el: XmlElement): void {
		this.i += 2;
		const closing = this.name();
		if (closing !== el.name) this.fail(`</${closing}> does not close <${el.name}>`);
		this.skipSpace();
		if (this.s[this.i] !== '>') this.fail(`Expected ">" after </${closing}`);
		this.i++;
	}
}

/** The text inside an element (nouns such as a queue name or a number). */
export function textOf(el: XmlElement): string {
	return el.children
		.map((c) => (typeof c === 'string' ? c : ''))
		.join('')
		.trim();
}

export function elementsOf(el: XmlElement): XmlElement[] {
	return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** Verbs the runtime executes. */
export const VOICE_VERBS = new Set(['Say', 'Play', 'Pause', 'Gather', 'Dial', 'Enqueue', 'Record', 'Redirect', 'Hangup', 'Leave', 'Reject', 'Start']);
/** Real Twilio verbs the local carrier skips with a 12200 warning instead of failing the call. */
export const UNSUPPORTED_VERBS = new Set(['Connect', 'Pay', 'Prompt', 'Refer', 'Stop', 'Echo', 'Sms', 'Message', 'Siprec', 'Stream']);
const DIAL_NOUNS = new Set(['Client', 'Number', 'Queue', 'Conference', 'Sip', 'Sim', 'Application', 'WhatsApp']);
const GATHER_CHILDREN = new Set(['Say', 'Play', 'Pause']);

/** Parse a voice document and check it the way Twilio does before executing it. */
export function parseVoiceTwiml(source: string): XmlElement {
	const root = parseXml(source);
	if (root.name !== 'Response') throw new TwimlError(`The root element is <${root.name}>; TwiML documents start with <Response>`);
	if (root.children.some((c) => typeof c === 'string')) throw new TwimlError('Text directly inside <Response> is not TwiML');
	for (const verb of elementsOf(root)) {
		if (!VOICE_VERBS.has(verb.name) && !UNSUPPORTED_VERBS.has(verb.name)) throw new TwimlError(`Unknown verb <${verb.name}>`);
		if (verb.name === 'Dial') {
			for (const noun of elementsOf(verb)) {
				if (!DIAL_NOUNS.has(noun.name)) throw new TwimlError(`<${noun.name}> is not allowed inside <Dial>`);
			}
			const clients = elementsOf(verb).filter((n) => n.name === 'Client' || n.name === 'Number');
			if (clients.length > 10) throw new TwimlError('A <Dial> can ring at most 10 <Client>/<Number> nouns at once');
		}
		if (verb.name === 'Gather') {
			for (const child of elementsOf(verb)) {
				if (!GATHER_CHILDREN.has(child.name)) throw new TwimlError(`<${child.name}> is not allowed inside <Gather>`);
			}
		}
		if (verb.name === 'Enqueue' && textOf(verb).length > 64) throw new TwimlError('Queue names are at most 64 characters');
	}
	return root;
}

/** Parse a messaging reply: <Response> with <Message> (and <Redirect>) children. */
export function parseMessagingTwiml(source: string): XmlElement {
	const root = parseXml(source);
	if (root.name !== 'Response') throw new TwimlError(`The root element is <${root.name}>; TwiML documents start with <Response>`);
	for (const verb of elementsOf(root)) {
		if (verb.name !== 'Message' && verb.name !== 'Redirect') throw new TwimlError(`Unknown messaging verb <${verb.name}>`);
	}
	return root;
}
