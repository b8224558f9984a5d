/**
 * Crash safety of the persisted state (issue 8): a real `vigil` daemon is killed with SIGKILL at
 * random moments while a client makes it rewrite its config as fast as it can (`SENTINEL SET
 * mymaster down-after-milliseconds <n>` with the odd `SENTINEL FLUSHCONFIG`), then restarted on
 * the file it left, at least 200 times. After every kill the file must load with the real loader,
 * hold the last acknowledged state or the one in flight (never older, never torn), keep its myid,
 * and let the next daemon start. Stray `.tmp-` files, ours or planted, must never stop a restart.
 *
 * Two independent chains (config file + daemon) run interleaved so that one daemon loads while the
 * other is being hammered; the kills are what is counted. `VIGIL_CRASH_ITERATIONS` raises the count.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { cleanup, freePorts, sleep, tempDir, VIGIL_BIN } from "./support/processes.js";
import { RespConnection } from "./support/resp-client.js";

const KILLS = Number(process.env.VIGIL_CRASH_ITERATIONS ?? 200);
const CHAINS = 2;

afterAll(cleanup);

interface Chain {
  readonly conf: string;
  readonly port: number;
  /** Last value the daemon acknowledged with +OK, and the one sent after it (maybe applied). */
  acked: number;
  inFlight: number | undefined;
  myId: string | undefined;
  epoch: number;
  kills: number;
  /** Kills that left a temp file behind (the write was interrupted before its rename). */
  tornWrites: number;
  /** Commands acknowledged over the whole run. */
  acknowledged: number;
}

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
});

function tempFiles(conf: string): string[] {
  return readdirSync(dirname(conf)).filter((n) => n.startsWith(`${basename(conf)}.tmp-`));
}

/** The file as the loader sees it; fails the test with the reason when it does not load. */
function check(chain: Chain): void {
  const text = readFileSync(chain.conf, "utf8");
  const loaded = loadConfig(text, chain.conf);
  if (!loaded.ok) throw new Error(`kill ${chain.kills}: config does not load: ${JSON.stringify(loaded.error)}\n${text}`);
  const c = loaded.config;
  const downAfter = c.masters[0]?.settings.downAfterMs;
  const allowed = [chain.acked, ...(chain.inFlight === undefined ? [] : [chain.inFlight])];
  if (!allowed.includes(downAfter ?? -1)) {
    throw new Error(`kill ${chain.kills}: down-after-milliseconds is ${downAfter}, expected one of ${allowed.join(", ")}\n${text}`);
  }
  if (chain.myId === undefined) chain.myId = c.myId;
  else expect(c.myId).toBe(chain.myId);
  expect(c.currentEpoch).toBeGreaterThanOrEqual(chain.epoch);
  chain.epoch = c.currentEpoch;
  chain.acked = downAfter!;
  chain.inFlight = undefined;
}

/** Connect as soon as the daemon listens (or give up if it died). */
async function connect(port: number, child: ChildProcess, log: () => string): Promise<RespConnection> {
  const start = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode} at startup:\n${log()}`);
    try {
      return await RespConnection.open(port);
    } catch {
      if (Date.now() - start > 30000) throw new Error(`daemon did not listen within 30 s:\n${log()}`);
      await sleep(15);
    }
  }
}

/** One life of a daemon: start on the file, rewrite it in a loop, SIGKILL after a random delay. */
async function life(chain: Chain, nextValue: () => number): Promise<void> {
  check(chain);
  // Sometimes plant junk where temp files go: a dead pid's leftover and a half-written one.
  if (Math.random() < 0.2) {
    writeFileSync(`${chain.conf}.tmp-999999-0`, "sentinel monitor garbage\n\0\0\0");
    writeFileSync(`${chain.conf}.tmp-junk`, "");
  }
  let out = "";
  const child = spawn(process.execPath, [VIGIL_BIN, chain.conf], { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const conn = await connect(chain.port, child, () => out);
  let stop = false;
  let killer: NodeJS.Timeout | undefined;
  // The clock starts at the first acknowledged rewrite, so that the kill lands among rewrites
  // (a few lives are cut before any, while the first one is being written).
  const armKiller = () => {
    if (killer !== undefined) return;
    killer = setTimeout(
      () => {
        stop = true;
        child.kill("SIGKILL");
      },
      Math.random() * 80,
    );
  };
  if (Math.random() < 0.1) armKiller();
  try {
    for (let i = 0; !stop; i++) {
      if (i % 7 === 6) {
        expect((await conn.call(["SENTINEL", "FLUSHCONFIG"]))[0]).toEqual({ t: "simple", v: "OK" });
        continue;
      }
      const v = nextValue();
      chain.inFlight = v;
      const reply = await conn.call(["SENTINEL", "SET", "mymaster", "down-after-milliseconds", v]);
      expect(reply[0]).toEqual({ t: "simple", v: "OK" });
      chain.acked = v;
      chain.inFlight = undefined;
      chain.acknowledged++;
      armKiller();
    }
  } catch (e) {
    // The kill cut the connection mid-command: expected. Anything else is a failure.
    if (!stop) throw e;
  } finally {
    clearTimeout(killer);
    conn.close();
  }
  await exited;
  children.delete(child);
  chain.kills++;
  if (tempFiles(chain.conf).some((n) => /\.tmp-\d+-\d+$/.test(n) && !n.includes(".tmp-999999-"))) chain.tornWrites++;
}

it(`survives ${KILLS} kill -9 during config rewrites: the file always loads, holds the old or the new state, and restarts recover`, async () => {
  const dir = tempDir("vigil-crash-");
  // Nothing listens on the master's port: the daemon only rewrites its file, no Redis needed.
  const ports = await freePorts(CHAINS + 1);
  const masterPort = ports[CHAINS]!;
  const chains: Chain[] = ports.slice(0, CHAINS).map((port, i) => {
    const conf = join(dir, `sentinel-${i}.conf`);
    writeFileSync(
      conf,
      [
        "# crash-safety test",
        `port ${port}`,
        "bind 127.0.0.1",
        `sentinel monitor mymaster 127.0.0.1 ${masterPort} 2`,
        "sentinel down-after-milliseconds mymaster 30000",
        // Long enough for the file to take more than one disk block.
        ...Array.from({ length: 60 }, (_, k) => `# padding line ${k} ${"x".repeat(60)}`),
        "",
      ].join("\n"),
    );
    return { conf, port, acked: 30000, inFlight: undefined, myId: undefined, epoch: 0, kills: 0, tornWrites: 0, acknowledged: 0 };
  });
  let value = 30001;
  const started = Date.now();
  await Promise.all(
    chains.map(async (chain) => {
      while (chains.reduce((n, c) => n + c.kills, 0) < KILLS) await life(chain, () => value++);
    }),
  );

  // Final restart of each chain: the daemon recovers the exact persisted value and cleans up.
  for (const chain of chains) {
    check(chain);
    let out = "";
    const child = spawn(process.execPath, [VIGIL_BIN, chain.conf], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const conn = await connect(chain.port, child, () => out);
    const master = await conn.one("SENTINEL", "MASTER", "mymaster");
    const flat = master.t === "array" ? master.v.map((f) => ("v" in f ? String(f.v) : "")) : [];
    expect(flat[flat.indexOf("down-after-milliseconds") + 1]).toBe(String(chain.acked));
    conn.close();
    // Leftovers of dead pids are gone once a daemon started on the file; other names are not ours.
    expect(tempFiles(chain.conf).filter((n) => !n.endsWith(".tmp-junk"))).toEqual([]);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    children.delete(child);
    expect(existsSync(chain.conf)).toBe(true);
  }
  const kills = chains.reduce((n, c) => n + c.kills, 0);
  const torn = chains.reduce((n, c) => n + c.tornWrites, 0);
  const acked = chains.reduce((n, c) => n + c.acknowledged, 0);
  console.log(`crash loop: ${kills} kills in ${((Date.now() - started) / 1000).toFixed(1)} s, ${acked} rewrites acknowledged, ${torn} kills interrupted a write (temp file left behind)`);
  expect(kills).toBeGreaterThanOrEqual(KILLS);
  // The kills do land inside writes, or the test would prove nothing.
  expect(torn).toBeGreaterThan(0);
}, 1_200_000);
