/**
 * `npm run carrier -- <command>`: drive a running Switchboard's local carrier through its
 * scenario endpoints (/carrier/scenario/...). Kept here, beside the API it calls, so it is
 * tested; scripts/carrier.ts only forwards process.argv.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../../../errors';

export const CARRIER_USAGE = `Usage: npm run carrier -- <command> [options]   (against a Switchboard running with TELEPHONY=local)

  call    --from +1... --to +1... [--script lines.json]   a customer calls (script: [{"speaker":"customer","text":"..."}])
  text    --from +1... --to +1... --body "..."            a customer texts
  digits  --call CA... --digits 123#                      press keys on a call
  hangup  --call CA...                                    hang up a call
  answer  --as <identity>    reject --as <identity>      answer or reject as an agent softphone
  register --as <identity>                                register a scripted agent softphone
  state                                                   calls, queues, conferences, deliveries, alerts
  hold    [--kind call-status ...]                        hold informational webhooks
  release [--reverse] [--order 3,1,2]                     send held webhooks (reordered)
  replay  --id <delivery id>                              resend a webhook with the same idempotency token

  --base http://localhost:3000   Switchboard's address (default)`;

export interface CliIo {
	fetch: typeof fetch;
	print(line: string): void;
}

type CliValues = Record<string, string | boolean | string[] | undefined>;
type Send = (method: 'GET' | 'POST', path: string, payload?: unknown) => Promise<number>;

const CLI_OPTIONS = {
	base: { type: 'string', default: 'http://localhost:3000' },
	from: { type: 'string' },
	to: { type: 'string' },
	body: { type: 'string' },
	script: { type: 'string' },
	call: { type: 'string' },
	digits: { type: 'string' },
	as: { type: 'string' },
	id: { type: 'string' },
	kind: { type: 'string', multiple: true },
	order: { type: 'string' },
	reverse: { type: 'boolean', default: false }
} as const;

/** Run one command; resolves with the process exit code. */
export async function runCarrierCli(argv: string[], io: CliIo): Promise<number> {
	const [command, ...rest] = argv;
	let values: CliValues;
	try {
		values = parseArgs({ args: rest, options: CLI_OPTIONS }).values;
	} catch (err) {
		io.print(`${errorMessage(err)}\n\n${CARRIER_USAGE}`);
		return 2;
	}
	try {
		return await runCommand(command, values, scenarioSender(io, values), io);
	} catch (err) {
		if (err instanceof UsageError) {
			io.print(`${err.message}\n\n${CARRIER_USAGE}`);
			return 2;
		}
		throw err;
	}
}

/** Sends one request to the scenario API and prints its answer; resolves with the exit code. */
function scenarioSender(io: CliIo, values: CliValues): Send {
	const base = `${String(values.base).replace(/\/+$/, '')}/carrier/scenario`;
	return async (method, path, payload) => {
		let res: Response;
		try {
			res = await io.fetch(`${base}${path}`, {
				method,
				headers: payload === undefined ? {} : { 'content-type': 'application/json' },
				body: payload === undefined ? undefined : JSON.stringify(payload)
			});
		} catch (err) {
			io.print(`Could not reach Switchboard at ${String(values.base)}: ${errorMessage(err)}. Is it running (npm run dev)?`);
			return 1;
		}
		io.print(await res.text());
		return res.ok ? 0 : 1;
	};
}

/** The command's scenario request; a missing option throws UsageError. */
async function runCommand(command: string | undefined, values: CliValues, send: Send, io: CliIo): Promise<number> {
	const need = (...names: string[]) => {
		const missing = names.filter((n) => !values[n]);
		if (missing.length) throw new UsageError(`${command} needs ${missing.map((m) => `--${m}`).join(', ')}`);
	};
	switch (command) {
		case 'call': {
			need('from', 'to');
			const script = values.script ? (JSON.parse(await readFile(String(values.script), 'utf8')) as unknown) : undefined;
			return await send('POST', '/call', { from: values.from, to: values.to, ...(script ? { script } : {}) });
		}
		case 'text':
			need('from', 'to', 'body');
			return await send('POST', '/text', { from: values.from, to: values.to, body: values.body });
		case 'digits':
			need('call', 'digits');
			return await send('POST', `/calls/${String(values.call)}/digits`, { digits: values.digits });
		case 'hangup':
			need('call');
			return await send('POST', `/calls/${String(values.call)}/hangup`, {});
		case 'answer':
		case 'reject':
		case 'register':
			need('as');
			return await send('POST', `/agents/${encodeURIComponent(String(values.as))}/${command}`, {});
		case 'state':
			return await send('GET', '/state');
		case 'hold':
			return await send('POST', '/deliveries/hold', { kinds: values.kind ?? [] });
		case 'release':
			return await send('POST', '/deliveries/release', {
				order: values.reverse ? 'reverse' : values.order ? String(values.order).split(',').map(Number) : []
			});
		case 'replay':
			need('id');
			return await send('POST', `/deliveries/${Number(values.id)}/replay`, {});
		default:
			io.print(CARRIER_USAGE);
			return command && command !== 'help' && command !== '--help' ? 2 : 0;
	}
}

class UsageError extends Error {}
