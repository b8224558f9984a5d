#!/usr/bin/env node
import type { TimingProfile } from "@vigil/core";
import { FAULT_KINDS, type FaultKind } from "./faults/fault-kinds.js";
import { runSeed } from "./sim/run-seed.js";
import { type PortableSeedOptions, runSeeds } from "./sim/run-seeds.js";
import { digest, summarize, summaryLine } from "./sim/summary.js";

/**
 * `npm run sim -- --seeds 500` — the deterministic cluster simulator from the command line.
 * Prints the seeds and options first (so any output can be reproduced), then one line per failing
 * seed with the command that replays it, and ends with one summary line. Exits 1 on a violation.
 */

const USAGE = `usage: npm run sim -- [--seeds N] [--from S] [--seed S [--trace]] [options]

  --seeds N          run seeds S..S+N-1 (default 100)
  --from S           first seed (default 1)
  --seed S           run only seed S
  --trace            print the full timeline of the run (with --seed)
  --jobs J           worker threads (default 1; use more only on hosts with idle cores)
  --timing T         engine timing profile: fast or sentinel (default: drawn, fast 80%)
  --sentinels N      sentinels per run (default: drawn from the seed, 3 or 5)
  --masters N        master groups per run (default: drawn, 1 or 2)
  --replicas N       replicas per master (default: drawn, 1-3)
  --safety-ms MS     length of the faulty safety phase (default: drawn, 20000-35000)
  --crash-down-after MS  vigil-crash-down-after of every master, 0 = off (default: drawn, on in ~1/3)
  --simultaneous     fast-profile seeds campaign without start jitter or stagger (default: drawn, ~1/6)
  --faults K=W,...   fault weights, e.g. crash-master=5,partition=0 (kinds: ${FAULT_KINDS.join(", ")})
  --vote-twice       inject the test-only engine bug "vote twice per epoch" (the checkers must catch it)
`;

interface CliArgs {
  seeds: number;
  from: number;
  single: number | null;
  trace: boolean;
  jobs: number;
  options: PortableSeedOptions;
  /** Flags that shape a run, repeated in the replay command. */
  replayFlags: string[];
}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { seeds: 100, from: 1, single: null, trace: false, jobs: 1, options: {}, replayFlags: [] };
  const opts: { -readonly [K in keyof PortableSeedOptions]: PortableSeedOptions[K] } = {};
  const int = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isSafeInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case "--seeds":
        args.seeds = int(flag, value());
        break;
      case "--from":
        args.from = int(flag, value());
        break;
      case "--seed":
        args.single = int(flag, value());
        break;
      case "--trace":
        args.trace = true;
        break;
      case "--jobs":
        args.jobs = Math.max(1, int(flag, value()));
        break;
      case "--timing": {
        const t = value();
        if (t !== "fast" && t !== "sentinel") throw new Error("--timing is fast or sentinel");
        opts.timing = t as TimingProfile;
        args.replayFlags.push(flag, t);
        break;
      }
      case "--sentinels":
      case "--masters":
      case "--replicas":
      case "--safety-ms": {
        const n = int(flag, value());
        if (flag === "--sentinels") opts.sentinels = n;
        else if (flag === "--masters") opts.masters = n;
        else if (flag === "--replicas") opts.replicasPerMaster = n;
        else opts.safetyMs = n;
        args.replayFlags.push(flag, String(n));
        break;
      }
      case "--faults": {
        const spec = value() ?? "";
        opts.faultWeights = parseFaultWeights(spec);
        args.replayFlags.push(flag, spec);
        break;
      }
      case "--crash-down-after": {
        const n = int(flag, value());
        opts.crashDownAfterMs = n;
        args.replayFlags.push(flag, String(n));
        break;
      }
      case "--simultaneous":
        opts.simultaneousStart = true;
        args.replayFlags.push(flag);
        break;
      case "--vote-twice":
        opts.engineFaults = { voteTwicePerEpoch: true };
        args.replayFlags.push(flag);
        break;
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  args.options = opts;
  return args;
}

/** `--faults kind=weight,...`. */
function parseFaultWeights(spec: string): Partial<Record<FaultKind, number>> {
  const weights: Partial<Record<FaultKind, number>> = {};
  for (const part of spec.split(",").filter(Boolean)) {
    const [k, w] = part.split("=");
    if (!FAULT_KINDS.includes(k as FaultKind) || w === undefined || !Number.isFinite(Number(w))) throw new Error(`bad fault weight ${part}`);
    weights[k as FaultKind] = Number(w);
  }
  return weights;
}

function replayCommand(seed: number, flags: readonly string[]): string {
  return ["npm run sim --", "--seed", String(seed), "--trace", ...flags].join(" ");
}

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const flags = args.replayFlags.length > 0 ? ` ${args.replayFlags.join(" ")}` : "";

  if (args.single !== null) {
    const seed = args.single;
    process.stdout.write(`sim: seed ${seed}${flags}\n`);
    const trace = args.trace ? (line: string) => process.stdout.write(`${line}\n`) : undefined;
    const result = runSeed(seed, { ...args.options, trace });
    const s = summarize([digest(result)]);
    for (const f of s.failing) process.stdout.write(`seed ${f.seed}: [${f.violation.checker}] ${f.violation.message}\n`);
    if (!args.trace && s.violations > 0) process.stdout.write(`replay: ${replayCommand(seed, args.replayFlags)}\n`);
    process.stdout.write(`${summaryLine(s)}\n`);
    return s.violations > 0 ? 1 : 0;
  }

  const seeds = Array.from({ length: args.seeds }, (_, i) => args.from + i);
  const last = args.from + args.seeds - 1;
  process.stdout.write(`sim: seeds ${args.from}..${last}, ${args.jobs} job(s)${flags}\n`);
  const digests = await runSeeds({ seeds, jobs: args.jobs, seedOptions: args.options });
  const s = summarize(digests);
  for (const f of s.failing) {
    process.stdout.write(`seed ${f.seed}: [${f.violation.checker}] ${f.violation.message}\n`);
    process.stdout.write(`  replay: ${replayCommand(f.seed, args.replayFlags)}\n`);
  }
  const byFault = Object.entries(s.lostByFault)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}=${n}`)
    .join(" ");
  process.stdout.write(`acknowledged_writes=${s.acknowledgedWrites} lost_writes_by_fault: ${byFault || "none"}\n`);
  process.stdout.write(
    `simulated_s=${Math.round(s.simulatedMs / 1000)} events=${s.events} converged=${s.converged}/${s.seeds} ` +
      `max_convergence_ms=${s.maxConvergenceMs} wall_s=${((performance.now() - started) / 1000).toFixed(1)}\n`,
  );
  process.stdout.write(`${summaryLine(s)}\n`);
  return s.violations > 0 ? 1 : 0;
}

// `npm run sim -- --seed 7 --trace | head` closes our stdout early: that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
