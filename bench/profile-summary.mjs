// Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=1 npm run bench, or node --cpu-prof): the
// functions with the most self time, the most inclusive time, and the hottest call paths.
//
//   node bench/profile-summary.mjs bench/results/profiles/node/CPU.*.cpuprofile [top=30]
//
// Percentages are of wall time sampled, "(idle)" included: a server waiting on its load generator
// shows up as idle, not as cheap code.
import fs from "node:fs";

const file = process.argv[2];
const top = Number(process.argv[3] ?? 30);
if (!file) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [top]");
  process.exit(2);
}

const profile = JSON.parse(fs.readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfById = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  selfById.set(profile.samples[i], (selfById.get(profile.samples[i]) ?? 0) + dt);
  total += dt;
}

const shortUrl = (url) => url.replace(/^.*\/node_modules\//, "").replace(/^.*\//, "");
const name = (frame) => `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;

const self = new Map();
const inclusive = new Map();
const paths = new Map();
for (const [id, t] of selfById) {
  const key = name(nodes.get(id).callFrame);
  self.set(key, (self.get(key) ?? 0) + t);
  const seen = new Set();
  const chain = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(nodes.get(cur).callFrame);
    if (!seen.has(k)) {
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
    if (chain.length < 6) chain.push(nodes.get(cur).callFrame.functionName || "(anonymous)");
  }
  const p = chain.join(" < ");
  paths.set(p, (paths.get(p) ?? 0) + t);
}

const pct = (v) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
const list = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${pct(v)}  ${k}`)
    .join("\n");

console.log(`${file}\n${(total / 1e6).toFixed(1)} s sampled\n`);
console.log(`self time\n${list(self)}\n`);
console.log(`inclusive time\n${list(inclusive)}\n`);
console.log(`hottest stacks (leaf first)\n${list(paths)}`);
