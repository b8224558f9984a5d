// Differential conformance harness: the same scripted commands go to a `redis-sentinel` and a vigil
// daemon that watch the same topology, on raw RESP connections (RESP2, or RESP3 after HELLO 3), and
// the replies are compared structurally after normalising what legitimately differs between two
// processes (times, ids, ports, run ids, counters). Names, order, RESP types, flags and error texts
// must match; every remaining difference is reported with its path.
import { type Resp, RespConnection } from "./resp-client.js";

/** One daemon under test. */
export interface Side {
  readonly kind: "redis" | "vigil";
  readonly port: number;
  readonly myId: string;
}

/** What both daemons watch, for normalising ports and ids. */
export interface Topology {
  readonly masterPort: number;
  readonly replicaPorts: readonly number[];
  /** Ports of other processes that may appear (dead ports used by MONITOR, ...), with their tag. */
  readonly extraPorts?: ReadonlyMap<number, string>;
}

/** Per-side context a step's arguments may depend on. */
export interface StepContext {
  readonly side: Side;
  readonly peer: Side;
  readonly topo: Topology;
  /** Values saved by earlier steps on this side (e.g. the client id). */
  readonly vars: Record<string, string>;
}

export interface Step {
  readonly label: string;
  /** Command to send; absent: only read `replies` frames (pushed messages). */
  readonly args?: readonly (string | number)[] | ((ctx: StepContext) => (string | number)[]);
  /** Frames to read (default 1). */
  readonly replies?: number;
  /** Which connection: the main one (default) or the auxiliary one (to trigger events). */
  readonly on?: "main" | "aux";
  /** Every integer leaf is volatile (ids, ages). */
  readonly volatileInts?: boolean;
  /** Redis answers in dict (hash) order: compare the top-level items as a multiset. */
  readonly unordered?: boolean;
  /** Sort every array whose items are all scalars (lists of names in hash order, e.g. ROLE). */
  readonly sortLeaves?: boolean;
  /** A COMMAND reply: subcommands are in hash order in Redis (see canonicalCommandTable). */
  readonly commandTable?: boolean;
  /**
   * Instance flags whose presence is a race in this step, removed from every `flags` value before
   * comparing (e.g. `disconnected` right after MONITOR: a Sentinel clears it the instant it starts
   * connecting and sets it again when the connection is refused, so a query can land in between).
   */
  readonly racyFlags?: readonly string[];
  /** Remember something from this side's reply for later steps. */
  readonly save?: (frames: readonly Resp[], vars: Record<string, string>) => void;
}

/** A structural difference between the two daemons' replies. */
export interface Difference extends Found {
  readonly proto: 2 | 3;
  readonly step: string;
  readonly redis: string;
  readonly vigil: string;
}

/** Instance-map and other reply fields whose values are timing or identity, not protocol. */
export const VOLATILE_KEYS = new Set([
  "link-pending-commands",
  "last-ping-sent",
  "last-ok-ping-reply",
  "last-ping-reply",
  "s-down-time",
  "o-down-time",
  "info-refresh",
  "role-reported-time",
  "last-hello-message",
  "master-link-down-time",
  "slave-repl-offset",
  "id",
  "run-time",
  "run-delay",
  "pid",
]);

/** INFO fields whose values must match too (the rest: names only). */
export const INFO_STABLE_VALUES = new Set([
  "redis_version",
  "redis_git_sha1",
  "redis_git_dirty",
  "redis_mode",
  "redis_build_id",
  "gcc_version",
  "os",
  "arch_bits",
  "monotonic_clock",
  "multiplexing_api",
  "atomicvar_api",
  "process_supervised",
  "configured_hz",
  "io_threads_active",
  "maxclients",
  "cluster_connections",
  "sentinel_masters",
  "sentinel_tilt",
  "sentinel_tilt_since_seconds",
  "sentinel_running_scripts",
  "sentinel_scripts_queue_length",
  "sentinel_simulate_failure_flags",
  "master0",
  "role",
]);

/** CLIENT LIST / CLIENT INFO fields whose values are identity, sizes or ages (Valkey's byte totals too). */
export const CLIENT_VOLATILE = new Set(["id", "addr", "laddr", "fd", "age", "idle", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "tot-net-in", "tot-net-out"]);

/** A normalised, JSON-comparable view of a frame. */
type Shape = string | { readonly t: string; readonly v?: Shape | readonly Shape[] | readonly (readonly [Shape, Shape])[] };

/** Replaces ids and ports in a text with role tags, as seen from `side`. */
export function normaliseText(s: string, side: Side, peer: Side, topo: Topology): string {
  let out = s.replace(/[0-9a-f]{40}/g, (id) => (id === side.myId ? "<myid>" : id === peer.myId ? "<peer-id>" : "<runid>"));
  const tags = new Map<number, string>([
    [topo.masterPort, "<master>"],
    ...topo.replicaPorts.map((p) => [p, "<replica>"] as [number, string]),
    [side.port, "<self>"],
    [peer.port, "<peer>"],
    ...(topo.extraPorts ?? new Map()),
  ]);
  out = out.replace(/(?<![\d.])\d{4,5}(?![\d.])/g, (n) => tags.get(Number(n)) ?? n);
  return out;
}

function isInfoText(s: string): boolean {
  return /^# [A-Z][a-zA-Z]*\r\n/.test(s);
}

function isClientText(s: string): boolean {
  return /^id=\d+ addr=/.test(s);
}

/** INFO text: section headers and field names; values only for the stable fields. */
function infoShape(s: string, norm: (x: string) => string): Shape[] {
  const out: Shape[] = [];
  for (const line of s.split("\r\n")) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      out.push(line);
      continue;
    }
    const i = line.indexOf(":");
    const key = i < 0 ? line : line.slice(0, i);
    const generic = key.replace(/^slave\d+$/, "slave<n>").replace(/^master\d+$/, (k) => (k === "master0" ? k : "master<n>"));
    out.push(INFO_STABLE_VALUES.has(key) ? `${generic}:${norm(line.slice(i + 1))}` : generic);
  }
  return out;
}

/** CLIENT LIST/INFO: one list of `key=value` per line, volatile values replaced. */
function clientShape(s: string, norm: (x: string) => string): Shape[] {
  return s
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => ({
      t: "client-line",
      v: line.split(" ").map((kv) => {
        const i = kv.indexOf("=");
        const k = kv.slice(0, i);
        return CLIENT_VOLATILE.has(k) ? `${k}=<v>` : `${k}=${norm(kv.slice(i + 1))}`;
      }),
    }));
}

/** Normalises one frame into a comparable shape. */
export function shapeOf(r: Resp, ctx: StepContext, step: Step, key?: string): Shape {
  const norm = (x: string) => normaliseText(x, ctx.side, ctx.peer, ctx.topo);
  const volatile = key !== undefined && VOLATILE_KEYS.has(key);
  const racy = key === "flags" && step.racyFlags !== undefined ? step.racyFlags : undefined;
  const leaf = (t: string, v: string): Shape => ({
    t,
    v: volatile ? "<v>" : racy ? norm(v.split(",").filter((f) => !racy.includes(f)).join(",")) : norm(v),
  });
  switch (r.t) {
    case "simple":
    case "error":
      return leaf(r.t, r.v);
    case "int":
      return { t: "int", v: volatile || step.volatileInts ? "<v>" : norm(r.v) };
    case "bulk":
    case "verbatim": {
      const t = r.t === "verbatim" ? `verbatim:${r.fmt}` : "bulk";
      if (isInfoText(r.v)) return { t: `${t}:info`, v: infoShape(r.v, norm) };
      if (isClientText(r.v)) return { t: `${t}:clients`, v: clientShape(r.v, norm) };
      return leaf(t, r.v);
    }
    case "array":
    case "set":
    case "push": {
      const items = r.v.map((item, i) => {
        const prev = i % 2 === 1 ? r.v[i - 1] : undefined;
        const k = prev && (prev.t === "bulk" || prev.t === "simple") && r.v.length % 2 === 0 ? prev.v : undefined;
        return shapeOf(item, ctx, step, k);
      });
      return { t: r.t, v: items };
    }
    case "map":
      return {
        t: "map",
        v: r.v.map(([k, v]) => {
          const name = k.t === "bulk" || k.t === "simple" ? k.v : undefined;
          return [shapeOf(k, ctx, step), shapeOf(v, ctx, step, name)] as const;
        }),
      };
    case "bool":
    case "double":
    case "bignum":
      return { t: r.t, v: String(r.v) };
    default:
      return { t: r.t };
  }
}

function render(s: Shape | undefined): string {
  const text = s === undefined ? "<absent>" : JSON.stringify(s);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** Walks two shapes in parallel and lists where they differ. */
export function diffShapes(a: Shape | undefined, b: Shape | undefined, path: string, out: Found[]): void {
  if (typeof a === "string" || typeof b === "string" || a === undefined || b === undefined) {
    if (a !== b) out.push({ path, redis: render(a), vigil: render(b) });
    return;
  }
  if (a.t !== b.t) {
    out.push({ path: `${path}<type>`, redis: render(a), vigil: render(b) });
    return;
  }
  const av = a.v;
  const bv = b.v;
  if (!Array.isArray(av) || !Array.isArray(bv)) {
    if (JSON.stringify(av) !== JSON.stringify(bv)) out.push({ path, redis: render(a), vigil: render(b) });
    return;
  }
  if (a.t === "map") {
    const am = av as [Shape, Shape][];
    const bm = bv as [Shape, Shape][];
    const ak = am.map(([k]) => JSON.stringify(k));
    const bk = bm.map(([k]) => JSON.stringify(k));
    const onlyA = am.filter(([k]) => !bk.includes(JSON.stringify(k))).map(([k, v]) => `${JSON.stringify(k)}=>${JSON.stringify(v)}`);
    const onlyB = bm.filter(([k]) => !ak.includes(JSON.stringify(k))).map(([k, v]) => `${JSON.stringify(k)}=>${JSON.stringify(v)}`);
    if (onlyA.length + onlyB.length > 0) out.push(extrasFound(`${path}<keys>`, onlyA, onlyB));
    const commonA = am.filter(([k]) => bk.includes(JSON.stringify(k)));
    const commonB = bm.filter(([k]) => ak.includes(JSON.stringify(k)));
    if (commonA.map(([k]) => JSON.stringify(k)).join() !== commonB.map(([k]) => JSON.stringify(k)).join()) {
      out.push({ path: `${path}<key order>`, redis: commonA.map(([k]) => JSON.stringify(k)).join(" "), vigil: commonB.map(([k]) => JSON.stringify(k)).join(" ") });
      return;
    }
    commonA.forEach(([k, v], i) => diffShapes(v, commonB[i]![1], `${path}.${typeof k === "string" ? k : (k.v as string)}`, out));
    return;
  }
  let items: [Shape[], Shape[]] = [av as Shape[], bv as Shape[]];
  if (av.length !== bv.length) {
    // Items present on one side only (as a multiset); the rest is compared in order.
    const [onlyA, restA, onlyB, restB] = multisetSplit(av as Shape[], bv as Shape[]);
    out.push(extrasFound(`${path}<len ${av.length} vs ${bv.length}>`, onlyA.map((x) => JSON.stringify(x)), onlyB.map((x) => JSON.stringify(x))));
    if (restA.length !== restB.length) return;
    items = [restA, restB];
  }
  for (let i = 0; i < items[0].length; i++) diffShapes(items[0][i], items[1][i], `${path}[${i}]`, out);
}

/** A difference, as the walker finds it (the step and protocol are added by the runner). */
export interface Found {
  readonly path: string;
  readonly redis: string;
  readonly vigil: string;
  /** Items or map entries present on one side only, in full (JSON). */
  readonly extras?: { readonly redis: readonly string[]; readonly vigil: readonly string[] };
}

function extrasFound(path: string, onlyRedis: string[], onlyVigil: string[]): Found {
  const show = (xs: string[]) => (xs.length === 0 ? "-" : xs.map((x) => (x.length > 160 ? `${x.slice(0, 157)}...` : x)).join(" "));
  return { path, redis: show(onlyRedis), vigil: show(onlyVigil), extras: { redis: onlyRedis, vigil: onlyVigil } };
}

/** Splits two lists into (only in a, a without those, only in b, b without those), as multisets. */
function multisetSplit(a: readonly Shape[], b: readonly Shape[]): [Shape[], Shape[], Shape[], Shape[]] {
  const count = new Map<string, number>();
  for (const x of b) count.set(JSON.stringify(x), (count.get(JSON.stringify(x)) ?? 0) + 1);
  const onlyA: Shape[] = [];
  const restA: Shape[] = [];
  for (const x of a) {
    const k = JSON.stringify(x);
    const n = count.get(k) ?? 0;
    if (n > 0) {
      count.set(k, n - 1);
      restA.push(x);
    } else onlyA.push(x);
  }
  const seen = new Map<string, number>();
  for (const x of restA) seen.set(JSON.stringify(x), (seen.get(JSON.stringify(x)) ?? 0) + 1);
  const onlyB: Shape[] = [];
  const restB: Shape[] = [];
  for (const x of b) {
    const k = JSON.stringify(x);
    const n = seen.get(k) ?? 0;
    if (n > 0) {
      seen.set(k, n - 1);
      restB.push(x);
    } else onlyB.push(x);
  }
  return [onlyA, restA, onlyB, restB];
}

const json = (x: unknown) => JSON.stringify(x);
const byJson = (x: unknown, y: unknown) => (json(x) < json(y) ? -1 : json(x) > json(y) ? 1 : 0);

/**
 * COMMAND / COMMAND INFO / COMMAND DOCS: Redis walks its command dicts, so subcommands come in hash
 * order (random per process). Sort them: the subcommand list of a COMMAND INFO entry (item 9), and
 * the `subcommands` value of a docs map (RESP3 map, or RESP2 flat name/doc array).
 */
export function canonicalCommandTable(s: Shape, top = false): Shape {
  if (typeof s === "string" || !Array.isArray(s.v)) return s;
  if (top && s.t === "map") return { t: "map", v: [...(canonicalCommandTable(s) as { v: [Shape, Shape][] }).v].sort((a, b) => byJson(a[0], b[0])) };
  if (top && s.t === "array" && s.v.length % 2 === 0 && (s.v as Shape[]).every((x, i) => typeof x !== "string" && (i % 2 === 0 ? x.t === "bulk" : x.t === "array"))) {
    return { t: "array", v: sortPairs((s.v as Shape[]).map((x) => canonicalCommandTable(x))) };
  }
  if (s.t === "map") {
    const entries = (s.v as [Shape, Shape][]).map(([k, v]) => {
      const cv = canonicalCommandTable(v);
      const isSubs = typeof k !== "string" && k.v === "subcommands" && typeof cv !== "string";
      if (isSubs && cv.t === "map") return [k, { t: "map", v: [...(cv.v as [Shape, Shape][])].sort((a, b) => byJson(a[0], b[0])) }] as [Shape, Shape];
      if (isSubs && Array.isArray(cv.v)) return [k, { t: cv.t, v: sortPairs(cv.v as Shape[]) }] as [Shape, Shape];
      return [k, cv] as [Shape, Shape];
    });
    return { t: "map", v: entries };
  }
  let items = (s.v as Shape[]).map(canonicalCommandTable);
  const isInfoEntry = items.length === 10 && typeof items[0] !== "string" && items[0]?.t === "bulk" && typeof items[1] !== "string" && items[1]?.t === "int";
  if (isInfoEntry) {
    const subs = items[9] as { t: string; v: Shape[] };
    items = [...items.slice(0, 9), { t: subs.t, v: [...subs.v].sort(byJson) }];
  } else if (items.length % 2 === 0) {
    items = items.map((item, i) => {
      const k = items[i - 1];
      if (i % 2 === 1 && k && typeof k !== "string" && k.v === "subcommands" && typeof item !== "string" && Array.isArray(item.v)) return { t: item.t, v: sortPairs(item.v as Shape[]) };
      return item;
    });
  }
  return { t: s.t, v: items };
}

function sortPairs(flat: readonly Shape[]): Shape[] {
  const pairs: [Shape, Shape][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs.sort((a, b) => byJson(a[0], b[0])).flat();
}

function sortLeafLists(s: Shape): Shape {
  if (typeof s === "string" || !Array.isArray(s.v) || s.t === "map") return s;
  const items = (s.v as Shape[]).map(sortLeafLists);
  const scalars = items.every((x) => typeof x === "string" || !Array.isArray(x.v));
  return { t: s.t, v: scalars ? [...items].sort(byJson) : items };
}

function sortItems(s: Shape): Shape {
  if (typeof s === "string" || !Array.isArray(s.v) || s.t === "map") return s;
  return { t: s.t, v: [...(s.v as Shape[])].sort(byJson) };
}

/** Connections of one side for one protocol run. */
interface SideConns {
  readonly side: Side;
  readonly ctx: StepContext;
  readonly main: RespConnection;
  readonly aux: RespConnection;
}

async function execute(c: SideConns, step: Step): Promise<Resp[]> {
  const conn = step.on === "aux" ? c.aux : c.main;
  const n = step.replies ?? 1;
  if (step.args === undefined) return conn.read(n);
  const args = typeof step.args === "function" ? step.args(c.ctx) : step.args;
  return conn.call(args, n);
}

/**
 * Runs `steps` in lockstep (each step on redis-sentinel, then on vigil) on fresh connections in the
 * given protocol, and returns every difference. RESP3 runs start with `HELLO 3` (compared too).
 */
export async function runDifferential(sides: readonly [Side, Side], topo: Topology, steps: readonly Step[], proto: 2 | 3): Promise<Difference[]> {
  const conns: SideConns[] = [];
  try {
    for (const [i, side] of sides.entries()) {
      const ctx: StepContext = { side, peer: sides[1 - i]!, topo, vars: {} };
      conns.push({ side, ctx, main: await RespConnection.open(side.port), aux: await RespConnection.open(side.port) });
    }
    const all: Step[] = proto === 3 ? [{ label: "HELLO 3 (main)", args: ["HELLO", "3"] }, { label: "HELLO 3 (aux)", args: ["HELLO", "3"], on: "aux" }, ...steps] : [...steps];
    const diffs: Difference[] = [];
    for (const step of all) {
      const shapes: Shape[] = [];
      for (const c of conns) {
        let frames: Resp[];
        try {
          frames = await execute(c, step);
        } catch (e) {
          frames = [{ t: "error", v: `<harness: ${(e as Error).message}>` }];
        }
        step.save?.(frames, c.ctx.vars);
        const shape: Shape = { t: "frames", v: frames.map((f) => shapeOf(f, c.ctx, step)).map((x) => (step.commandTable ? canonicalCommandTable(x, true) : x))
          .map((x) => (step.sortLeaves ? sortLeafLists(x) : x)) };
        shapes.push(step.unordered ? { t: "frames", v: (shape as { v: Shape[] }).v.map(sortItems) } : shape);
      }
      const found: Found[] = [];
      diffShapes(shapes[0], shapes[1], "", found);
      for (const d of found) diffs.push({ proto, step: step.label, ...d });
    }
    return diffs;
  } finally {
    for (const c of conns) {
      c.main.close();
      c.aux.close();
    }
  }
}

/** A documented, intentional difference (see docs/compatibility.md, by `id`). */
export interface Allowance {
  /** Anchor in docs/compatibility.md (the document must mention it). */
  readonly id: string;
  readonly step: RegExp;
  readonly path?: RegExp;
  /** Only in this protocol. */
  readonly proto?: 2 | 3;
  /** Not required to occur (features that may be switched off or not wired yet). */
  readonly optional?: boolean;
  /** Must match `<redis side> <vigil side>` as rendered in the report. */
  readonly detail?: RegExp;
}

/**
 * Splits differences into explained (by an allowance) and unexplained. A difference in which items or
 * map entries exist on one side only is explained when every such item is matched by an allowance
 * (`detail` is tested against the item's JSON); any other difference needs one allowance whose
 * `detail` matches `<redis side> <vigil side>`.
 */
export function classify(diffs: readonly Difference[], allowances: readonly Allowance[]): { unexplained: Difference[]; used: Set<string> } {
  const used = new Set<string>();
  const unexplained: Difference[] = [];
  const find = (d: Difference, text: string) =>
    allowances.find((x) => x.step.test(d.step) && (x.path === undefined || x.path.test(d.path)) && (x.proto === undefined || x.proto === d.proto) && (x.detail === undefined || x.detail.test(text)));
  for (const d of diffs) {
    if (d.extras) {
      const unmatched = { redis: [] as string[], vigil: [] as string[] };
      for (const side of ["redis", "vigil"] as const) {
        for (const item of d.extras[side]) {
          const a = find(d, item);
          if (a) used.add(a.id);
          else unmatched[side].push(item);
        }
      }
      if (unmatched.redis.length + unmatched.vigil.length > 0) unexplained.push({ ...d, ...extrasFound(d.path, unmatched.redis, unmatched.vigil) });
      continue;
    }
    const a = find(d, `${d.redis} ${d.vigil}`);
    if (a) used.add(a.id);
    else unexplained.push(d);
  }
  return { unexplained, used };
}

/** Human-readable report of differences. */
export function report(diffs: readonly Difference[]): string {
  return diffs.map((d) => `RESP${d.proto} ${d.step} @${d.path || "/"}\n    redis-sentinel: ${d.redis}\n    vigil:          ${d.vigil}`).join("\n");
}
