// Top functions of a V8 .cpuprofile (node --cpu-prof), by self and by inclusive time, as shares
// of the profile's wall time; a function counts once per sample however deep it recurses.
//
//   node scripts/cpuprofile-top.mjs CPU.*.cpuprofile [how many, default 25] [last N ms only]
//
// The third argument keeps only the profile's last N milliseconds (the measured burst, without
// the server's start-up and the warm-up).
//
// Used to find where the incoming-call burst spends its time (issue 17 item 5): profile the
// server and its engine worker under the webhook load: `node --cpu-prof --cpu-prof-dir=DIR
// build` writes one file per thread (the engine worker keeps the --cpu-prof flags; hot.ts).
import fs from 'node:fs';
const file = process.argv[2]; const top = Number(process.argv[3] ?? 25); const lastMs = Number(process.argv[4] ?? Infinity);
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
{
  // Keep the samples taken in the last `lastMs` of the profile.
  let t = p.startTime; const at = p.timeDeltas.map((d) => (t += d));
  const from = t - lastMs * 1e3; const keep = at.map((x) => x >= from);
  p.samples = p.samples.filter((_, i) => keep[i]); p.timeDeltas = p.timeDeltas.filter((_, i) => keep[i]);
}
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
for (let i = 0; i < p.samples.length; i++) { const d = dt[i] ?? 0; total += d; self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + d); }
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const selfBy = new Map(), incl = new Map();
for (const [id, t] of self) {
  const n = byId.get(id); selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + t);
  const seen = new Set(); let cur = id;
  while (cur !== undefined) { const k = key(byId.get(cur)); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } cur = parent.get(cur); }
}
const pr = (m, title) => { console.log(`\n== ${title} (total ${(total / 1e3).toFixed(0)} ms)`); [...m].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, t]) => console.log(`${(100 * t / total).toFixed(1).padStart(5)}%  ${(t / 1e3).toFixed(0).padStart(6)} ms  ${k}`)); };
pr(selfBy, 'self'); pr(incl, 'inclusive');
