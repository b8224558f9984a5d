// Statistics, /proc readings and plain-text tables shared by the benchmarks.
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { versions } from "./procs.mjs";

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs, p) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

export const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : "–");

/** A Markdown table (also readable as plain text). */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r) => `| ${r.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
  return [line(cells[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

/** utime + stime of a process in seconds (from /proc/<pid>/stat); NaN when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields after "(comm) ": state=0, ... utime=11, stime=12 (1-based 14 and 15 in proc(5))
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** `{ user, sys }` CPU seconds of a process (utime and stime from /proc/<pid>/stat). */
export function cpuSplit(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
  } catch {
    return { user: Number.NaN, sys: Number.NaN };
  }
}

/** A `VmXXX` line of /proc/<pid>/status in MB (VmHWM = peak RSS, VmRSS = current). */
export function vmMB(pid, field = "VmHWM") {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function load() {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

/** One line describing the machine and the software, for the report header. */
export function machineLine() {
  const c = cpus();
  const v = versions();
  return `${new Date().toISOString()} · ${c.length} × ${c[0]?.model ?? "cpu"} · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · node ${v.node} · redis ${v.redis} · load ${load()}`;
}

/** Print a section title. */
export function heading(s) {
  process.stdout.write(`\n## ${s}\n\n`);
}

export function say(s = "") {
  process.stdout.write(`${s}\n`);
}

/** Parse `--flag value` / `--flag` arguments against a spec `{ name: default }` (booleans are flags). */
export function parseFlags(argv, spec, usage) {
  const out = { ...spec };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(usage);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument ${a}\n${usage}`);
    const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in spec)) throw new Error(`unknown flag --${m[1]}\n${usage}`);
    if (typeof spec[key] === "boolean") out[key] = m[2] === undefined ? true : m[2] !== "false";
    else {
      const v = m[2] ?? argv[++i];
      if (v === undefined) throw new Error(`--${m[1]} needs a value`);
      out[key] = typeof spec[key] === "number" ? Number(v) : v;
      if (typeof spec[key] === "number" && !Number.isFinite(out[key])) throw new Error(`--${m[1]} needs a number`);
    }
  }
  return out;
}
