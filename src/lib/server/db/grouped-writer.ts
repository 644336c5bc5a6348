/**
 * Statements shared by concurrent callers (group commit), used by the archive writes of an
 * incoming call (calls/record-incoming-call.ts): one goes at once, and those that arrive while
 * MAX_IN_FLIGHT statements are out go together in the next (at most MAX_BATCH, one per key, so
 * a call's writes keep their order). Each caller's promise settles with its own statement's
 * commit: nothing is answered before it is written. A failed statement is retried one row at a
 * time, so a row that cannot be written fails its own call and not the others grouped with it.
 */
import type { Db } from './client';

export interface GroupedWriter<In, Out> {
	write(key: string, input: In): Promise<Out>;
}

interface Waiting<In, Out> {
	key: string;
	input: In;
	resolve(value: Out): void;
	reject(error: unknown): void;
}

/**
 * Rows per statement at most, and statements in flight at once per archive handle and writer.
 * One in flight: under the 50-concurrent burst a second one halved the rows per statement
 * (about five instead of ten) and PostgreSQL spent a third more CPU per call on the statements'
 * fixed cost, for no gain in throughput (both writers together still use two connections).
 */
const MAX_BATCH = 100;
const MAX_IN_FLIGHT = 1;

export function groupedWriter<In, Out>(
	writers: WeakMap<Db, GroupedWriter<In, Out>>,
	db: Db,
	statement: (db: Db, rows: In[]) => Promise<Out[]>
): GroupedWriter<In, Out> {
	const existing = writers.get(db);
	if (existing) return existing;
	let inFlight = 0;
	const waiting: Waiting<In, Out>[] = [];
	const drain = async () => {
		inFlight++;
		try {
			while (waiting.length > 0) {
				const batch: Waiting<In, Out>[] = [];
				const keys = new Set<string>();
				const later: Waiting<In, Out>[] = [];
				for (const item of waiting.splice(0)) {
					if (batch.length < MAX_BATCH && !keys.has(item.key)) {
						keys.add(item.key);
						batch.push(item);
					} else later.push(item);
				}
				waiting.unshift(...later);
				try {
					const out = await statement(db, batch.map((b) => b.input));
					batch.forEach((b, i) => b.resolve(out[i]!));
				} catch (error) {
					if (batch.length === 1) batch[0]!.reject(error);
					// One call's row can fail the statement for all: each goes again alone, so only it fails.
					else await Promise.all(batch.map((b) => statement(db, [b.input]).then((out) => b.resolve(out[0]!), (e: unknown) => b.reject(e))));
				}
			}
		} finally {
			inFlight--;
		}
	};
	const writer: GroupedWriter<In, Out> = {
		write: (key, input) =>
			new Promise<Out>((resolve, reject) => {
				waiting.push({ key, input, resolve, reject });
				if (inFlight < MAX_IN_FLIGHT) void drain();
			})
	};
	writers.set(db, writer);
	return writer;
}
