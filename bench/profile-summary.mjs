#!/usr/bin/env node
// Summarise `node --cpu-prof` profiles: self time by function and by file (package), and the
// inclusive time of the heaviest call paths' top frames. Usage:
//   BENCH_VIGIL_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/vigil-prof" node bench/scale.mjs --kinds vigil ...
//   node bench/profile-summary.mjs /tmp/vigil-prof/*.cpuprofile [--top 30] [--skip SECONDS]
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
const skipAt = args.indexOf("--skip");
/** Ignore samples taken in the first `skip` seconds of each profile (start-up, discovery). */
const skip = skipAt >= 0 ? Number(args[skipAt + 1]) * 1e6 : 0;
const files = args.filter((a) => a.endsWith(".cpuprofile"));
if (files.length === 0) {
  process.stderr.write("usage: node bench/profile-summary.mjs FILE.cpuprofile... [--top N] [--skip SECONDS]\n");
  process.exit(2);
}

const short = (url) =>
  url
    .replace(/^file:\/\//, "")
    .replace(/^.*\/node_modules\//, "nm:")
    .replace(/^.*\/packages\//, "");

const selfByFn = new Map();
const selfByFile = new Map();
const totalByFn = new Map();
let total = 0;
for (const f of files) {
  const p = JSON.parse(readFileSync(f, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < skip) continue;
    dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const name = cf.functionName || "(anonymous)";
    const file = short(cf.url) || "(native)";
    const key = `${name} ${file}:${cf.lineNumber + 1}`;
    selfByFn.set(key, (selfByFn.get(key) ?? 0) + us);
    const pkg = file.startsWith("nm:") ? file.split("/").slice(0, file.startsWith("nm:@") ? 2 : 1).join("/") : file;
    selfByFile.set(pkg, (selfByFile.get(pkg) ?? 0) + us);
    total += us;
    // inclusive: every distinct frame on the stack
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const c = byId.get(cur).callFrame;
      const k = `${c.functionName || "(anonymous)"} ${short(c.url) || "(native)"}:${c.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      totalByFn.set(k, (totalByFn.get(k) ?? 0) + us);
    }
  }
}

const print = (title, m) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(8)} ms  ${k}\n`);
  }
};
process.stdout.write(`${files.length} profile(s), ${(total / 1e6).toFixed(2)} s sampled\n`);
print("self time by file / package", selfByFile);
print("self time by function", selfByFn);
print("inclusive time by function", totalByFn);
