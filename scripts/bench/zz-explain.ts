import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db/client';
import { planRanking } from '../../src/lib/server/search/search-archive';
import { ZSearchRequest } from '../../src/lib/server/search/search-request';
const db = await openDatabase({ driver: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/bench_search' });
const r = ZSearchRequest.parse({ q: process.argv[2] ?? 'refund', queue: 'billing', direction: 'inbound', channel: 'call' });
const q = sql`websearch_to_tsquery('english', ${r.q})`;
for (let i = 0; i < 2; i++) {
const res: any = await db.db.execute(sql`explain (analyze, buffers) ${planRanking(q, r, null)}`);
if (i === 1) console.log(res.map((x: any) => x['QUERY PLAN']).join('\n'));
}
await db.close();
process.exit(0);
