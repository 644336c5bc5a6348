/**
 * The search bench on its own (`npx tsx scripts/bench/search-run.ts`): seeds or tops up the
 * bench_search database and prints the figures; `npm run bench` runs the same through bench.ts.
 * BENCH_SEARCH_TRANSCRIPTS lowers the size for a quick look.
 */
import { openDatabase } from '../../src/lib/server/db/client';
import { setLogLevel } from '../../src/lib/server/log';
import { percentile } from './live';
import { benchSearch, searchBenchUrl, seedTranscripts } from './search';

setLogLevel('warn');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOTAL = Number(process.env.BENCH_SEARCH_TRANSCRIPTS ?? 1_000_000);

const db = await openDatabase({ driver: 'postgres', url: await searchBenchUrl(PG_URL) });
try {
	await seedTranscripts(db.db, TOTAL, (line) => console.log(line));
	if (process.env.BENCH_SEARCH_SEED_ONLY) process.exit(0);
	const r = await benchSearch(db.db);
	const f = (v: number[]) => `p50 ${percentile(v, 50).toFixed(2)} ms, p99 ${percentile(v, 99).toFixed(2)} ms (n=${v.length})`;
	console.log(`search, manager, ${TOTAL.toLocaleString('en-US')} transcripts: ${f(r.manager)}`);
	console.log(`search, agent:   ${f(r.agent)}`);
	console.log(`bare GIN @@ LIMIT 20: ${f(r.bare)}`);
	console.log(`results per search: min ${Math.min(...r.hits)}, median ${percentile(r.hits, 50)}, max ${Math.max(...r.hits)}`);
} finally {
	await db.close();
}
process.exit(0);
