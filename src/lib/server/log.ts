/**
 * A small leveled logger. Values that look like credentials are masked before printing, so a
 * stray object in a log line never leaks a token.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /(token|secret|password|authorization|api[_-]?key|cookie|signature)/i;

let threshold = ORDER.info;

export function setLogLevel(level: Level | 'silent'): void {
	threshold = ORDER[level];
}

export function redact(value: unknown, depth = 0): unknown {
	if (depth > 4 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
	return out;
}

function emit(level: Level, scope: string, message: string, fields?: Record<string, unknown>) {
	if (ORDER[level] < threshold) return;
	const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}`;
	const rest = fields ? ` ${JSON.stringify(redact(fields))}` : '';
	(level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(line + rest);
}

export interface Logger {
	debug(message: string, fields?: Record<string, unknown>): void;
	info(message: string, fields?: Record<string, unknown>): void;
	warn(message: string, fields?: Record<string, unknown>): void;
	error(message: string, fields?: Record<string, unknown>): void;
}

export function logger(scope: string): Logger {
	return {
		debug: (m, f) => emit('debug', scope, m, f),
		info: (m, f) => emit('info', scope, m, f),
		warn: (m, f) => emit('warn', scope, m, f),
		error: (m, f) => emit('error', scope, m, f)
	};
}
