/** Just the Next-call claim bench (`npx tsx scripts/bench/next-call.run.ts`); `npm run bench` runs it with the rest. */
import { percentile } from './live';
import { benchNextCall } from './next-call';
import { openDatabase } from '../../src/lib/server/db/client';
import { createLocalHotState } from '../../src/lib/server/live/hot';
import { setLogLevel } from '../../src/lib/server/log';

setLogLevel('warn');
const leads = Number(process.env.BENCH_CAMPAIGN_LEADS ?? 100_000);
const lite = await openDatabase({ driver: 'pglite', dir: 'memory://' });
const hot = await createLocalHotState();
const t0 = performance.now();
const r = await benchNextCall(lite.db, hot, { leads, agents: 50, rounds: 10 });
const f = (v: number[], p: number) => percentile(v, p).toFixed(1);
console.log(`Next-call claim, 50 agents, ${leads} leads: p50 ${f(r.claimsMs, 50)} ms, p99 ${f(r.claimsMs, 99)} ms; engine round trip p50 ${f(r.baselineMs, 50)} ms, p99 ${f(r.baselineMs, 99)} ms (${((performance.now() - t0) / 1000).toFixed(0)} s in all)`);
await hot.close();
await lite.close();
process.exit(0);
