// A strict-enough parser for the Prometheus text exposition format (0.0.4): enough to check that
// /metrics parses, that every sample belongs to a declared family, and to read values by labels.

export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: PromSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let m = LABEL.exec(text); m; m = LABEL.exec(text)) {
    out[m[1]!] = m[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    consumed = LABEL.lastIndex;
  }
  if (consumed !== text.length) throw new Error(`bad label set {${text}}`);
  return out;
}

function parseValue(v: string): number {
  if (v === "+Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  if (v === "NaN") return Number.NaN;
  const n = Number(v);
  if (Number.isNaN(n)) throw new Error(`bad sample value ${v}`);
  return n;
}

/** Parse the whole exposition; throws on any malformed line or sample without a family. */
export function parsePromText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: "untyped", help: "", samples: [] }));
    return f;
  };
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# HELP ")) {
      const [, name, ...help] = line.split(" ").slice(1);
      (family(name!) as { help: string }).help = help.join(" ");
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [name, type] = line.slice(7).split(" ");
      if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(type!)) throw new Error(`bad type line: ${line}`);
      (family(name!) as { type: string }).type = type!;
      continue;
    }
    if (line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`bad sample line: ${line}`);
    const name = m[1]!;
    const base = [...families.keys()].find((f) => name === f || ((families.get(f)!.type === "histogram" || families.get(f)!.type === "summary") && /^(_bucket|_sum|_count)$/.test(name.slice(f.length)) && name.startsWith(f)));
    if (base === undefined) throw new Error(`sample ${name} has no # TYPE family`);
    families.get(base)!.samples.push({ name, labels: m[3] ? parseLabels(m[3]) : {}, value: parseValue(m[4]!) });
  }
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`, or undefined. */
export function sampleValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}
