/**
 * Interop with the real `redis-sentinel` (Debian 7.0.15): it must load the files Vigil writes, and
 * Vigil must read the files it writes back, with identical state. Per dialect, a file the dialect's
 * oracle (Redis 7.0.15, 7.2.6, Valkey 8.0.1) rewrote loads unchanged in Vigil and back. Also a differential check of the
 * loader's error reports against Redis's own. Missing binaries fail the suite: this is the proof
 * of drop-in compatibility and must not silently disappear.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GlobalSettingsSchema, MasterSettingsSchema, type PersistedState } from "@vigil/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isExecutable } from "../src/config/atomic-write.js";
import { formatConfigError } from "../src/config/config-error.js";
import { type LoadedConfig, loadConfig } from "../src/config/load-config.js";
import { rewriteConfig } from "../src/config/rewrite-config.js";
import { oracleSentinel, SENTINEL_DIALECTS, type SentinelDialect } from "./support/oracles.js";
import { cmd, freePorts, type Proc, pairs as replyPairs, startSentinel as startOfKind } from "./support/processes.js";

const SENTINEL_BIN = "/usr/bin/redis-sentinel";
const CLI_BIN = "/usr/bin/redis-cli";

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  for (const bin of [SENTINEL_BIN, CLI_BIN]) {
    if (!existsSync(bin)) {
      throw new Error(`${bin} is missing: the config interop tests need Debian's redis-sentinel/redis-tools 7.0.x (apt-get install redis-sentinel)`);
    }
  }
  dir = mkdtempSync(join(tmpdir(), "vigil-interop-"));
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function cli(port: number, ...args: string[]): string[] {
  const out = execFileSync(CLI_BIN, ["-h", "127.0.0.1", "-p", String(port), ...args], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "pipe"] });
  // One element per line; an empty bulk string (e.g. an unknown runid) is an empty line.
  const lines = out.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A flat `k v k v ...` reply as a map. */
function pairs(flat: string[]): Record<string, string> {
  const m: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) m[flat[i]!] = flat[i + 1]!;
  return m;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Start redis-sentinel on `conf` and wait until it answers on `port`. */
async function startSentinel(conf: string, port: number): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(SENTINEL_BIN, [conf], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (d) => (output += String(d)));
  child.stderr?.on("data", (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 10000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-sentinel exited (${child.exitCode}) on our file:\n${output}`);
    try {
      if (cli(port, "PING")[0] === "PONG") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-sentinel did not answer on ${port}:\n${output}`);
    await sleep(50);
  }
  return {
    child,
    stop: async () => {
      // SIGKILL: Sentinel does not flush on shutdown, and we want the file exactly as last flushed.
      child.kill("SIGKILL");
      await exited;
    },
  };
}

function mustLoad(text: string, path: string): LoadedConfig {
  const r = loadConfig(text, path, undefined, { isExecutable });
  if (!r.ok) throw new Error(`${formatConfigError(r.error)}\n--- file ---\n${text}`);
  return r.config;
}

const byName = <T extends { settings: { name: string } }>(ms: readonly T[]): T[] => [...ms].sort((a, b) => a.settings.name.localeCompare(b.settings.name));

describe("interop with the real redis-sentinel", () => {
  it("loads what we write, and we read what it rewrites identically", async () => {
    const [port, masterPort, replicaPort, peerPort, otherPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const peer = randomBytes(20).toString("hex");
    const state: PersistedState = {
      myId: randomBytes(20).toString("hex"),
      currentEpoch: 12,
      // No spaces in secrets here: Redis writes sentinel-pass / auth-pass unquoted, so with a space
      // it produces a file that neither it nor Vigil can load again.
      global: GlobalSettingsSchema.parse({ port, denyScriptsReconfig: false, sentinelPass: "peer-secret" }),
      masters: [
        {
          settings: MasterSettingsSchema.parse({
            name: "mymaster",
            host: "127.0.0.1",
            port: masterPort,
            quorum: 2,
            downAfterMs: 15000,
            failoverTimeoutMs: 60000,
            parallelSyncs: 2,
            authPass: "s3cret",
            authUser: "admin",
            masterRebootDownAfterMs: 2000,
            renamedCommands: { config: "xconfig" },
          }),
          configEpoch: 11,
          leaderEpoch: 12,
          knownReplicas: [{ host: "127.0.0.1", port: replicaPort }],
          knownSentinels: [{ host: "127.0.0.1", port: peerPort, runId: peer }],
        },
        {
          settings: MasterSettingsSchema.parse({ name: "second", host: "127.0.0.1", port: otherPort, quorum: 1 }),
          configEpoch: 0,
          leaderEpoch: 0,
          knownReplicas: [],
          knownSentinels: [],
        },
      ],
    };
    const conf = join(dir, "ours.conf");
    const old = `# Vigil interop test\nport 26379\nbind 127.0.0.1\ndaemonize no\nlogfile ""\n`;
    const ours = rewriteConfig(old, state, { dir });
    writeFileSync(conf, ours);
    // Our own reader agrees with our writer before Redis even looks at it.
    expect(byName(mustLoad(ours, conf).masters)).toEqual(byName(state.masters));

    const s = await startSentinel(conf, port);
    try {
      expect(cli(port, "SENTINEL", "MYID")).toEqual([state.myId]);
      const names = cli(port, "SENTINEL", "MASTERS").filter((_, i, all) => all[i - 1] === "name");
      expect(names.sort()).toEqual(["mymaster", "second"]);
      const m = pairs(cli(port, "SENTINEL", "MASTER", "mymaster"));
      expect(m).toMatchObject({
        ip: "127.0.0.1",
        port: String(masterPort),
        quorum: "2",
        "down-after-milliseconds": "15000",
        "failover-timeout": "60000",
        "parallel-syncs": "2",
        "config-epoch": "11",
        "num-slaves": "1",
        "num-other-sentinels": "1",
      });
      expect(pairs(cli(port, "SENTINEL", "MASTER", "second"))).toMatchObject({ "down-after-milliseconds": "30000", "failover-timeout": "180000", "parallel-syncs": "1" });
      expect(pairs(cli(port, "SENTINEL", "SENTINELS", "mymaster"))).toMatchObject({ runid: peer, port: String(peerPort) });
      expect(pairs(cli(port, "SENTINEL", "REPLICAS", "mymaster"))).toMatchObject({ name: `127.0.0.1:${replicaPort}` });
      expect(pairs(cli(port, "SENTINEL", "CONFIG", "GET", "sentinel-pass"))).toEqual({ "sentinel-pass": "peer-secret" });
      expect(cli(port, "SENTINEL", "FLUSHCONFIG")).toEqual(["OK"]);
    } finally {
      await s.stop();
    }

    const theirs = readFileSync(conf, "utf8");
    const loaded = mustLoad(theirs, conf);
    expect(loaded.myId).toBe(state.myId);
    expect(loaded.currentEpoch).toBe(12);
    expect(loaded.global).toEqual(state.global);
    expect(byName(loaded.masters)).toEqual(byName(state.masters));
    expect(loaded.generic).toMatchObject({ port, bind: ["127.0.0.1"], dir, daemonize: false, protectedMode: false });

    // Rewriting Redis's file with the state read from it reproduces Redis's file: same lines, same
    // places (Redis only adds a trailing blank line).
    const back = rewriteConfig(theirs, { myId: loaded.myId!, currentEpoch: loaded.currentEpoch, global: loaded.global, masters: loaded.masters }, { dir });
    expect(back).toBe(theirs.replace(/\n+$/, "\n"));
  });

  it("reads a file redis-sentinel completed on first start (myid added)", async () => {
    const [port, masterPort] = await Promise.all([freePort(), freePort()]);
    const conf = join(dir, "fresh.conf");
    writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nsentinel monitor fresh 127.0.0.1 ${masterPort} 2\nsentinel down-after-milliseconds fresh 30000\n`);
    const s = await startSentinel(conf, port);
    let myId: string;
    try {
      myId = cli(port, "SENTINEL", "MYID")[0]!;
    } finally {
      await s.stop();
    }
    const loaded = mustLoad(readFileSync(conf, "utf8"), conf);
    expect(loaded.myId).toBe(myId);
    expect(loaded.masters.map((m) => [m.settings.name, m.settings.port, m.settings.quorum, m.settings.downAfterMs])).toEqual([["fresh", masterPort, 2, 30000]]);
    // Redis dropped the default down-after line, as our rewriter does.
    expect(readFileSync(conf, "utf8")).not.toContain("down-after-milliseconds");
  });
});

describe("error reports match redis-sentinel's", () => {
  const RUNID = "c".repeat(40);
  const M = "sentinel monitor m 127.0.0.1 6379 2";
  const cases: Array<{ name: string; lines: string[]; overrides?: string[][] }> = [
    { name: "unknown directive", lines: ["foo-unknown bar"] },
    { name: "wrong arity", lines: ["timeout 1 2"] },
    { name: "unbalanced quotes", lines: ['pidfile "/x'] },
    { name: "quote glued to text", lines: ["pidfile '/x'y"] },
    { name: "not an integer", lines: ["tcp-keepalive 030"] },
    { name: "out of range", lines: ["tls-port 70000"] },
    { name: "bool", lines: ["daemonize maybe"] },
    { name: "tls-auth-clients", lines: ["tls-auth-clients maybe"] },
    { name: "octal", lines: ["unixsocketperm 9"] },
    { name: "octal range", lines: ["unixsocketperm 1777"] },
    { name: "too many binds", lines: [`bind ${Array.from({ length: 17 }, (_, i) => `10.0.0.${i}`).join(" ")}`] },
    { name: "module config", lines: ["x.y"] },
    { name: "deprecated arity", lines: ["list-max-ziplist-value 1 2"] },
    { name: "quorum", lines: ["sentinel monitor m 127.0.0.1 6379 0"] },
    { name: "duplicate master", lines: [M, M] },
    { name: "hostname", lines: ["sentinel monitor m redis.invalid 6379 2"] },
    { name: "port", lines: ["sentinel monitor m 127.0.0.1 70000 2"] },
    { name: "no such master", lines: [M, "sentinel parallel-syncs x 1"] },
    { name: "zero time", lines: [M, "sentinel down-after-milliseconds m 0"] },
    { name: "negative failover-timeout", lines: [M, "sentinel failover-timeout m -1"] },
    { name: "reboot period", lines: [M, "sentinel master-reboot-down-after-period m -1"] },
    { name: "notification script", lines: [M, "sentinel notification-script m /nonexistent/notify.sh"] },
    { name: "reconfig script", lines: [M, "sentinel client-reconfig-script m /nonexistent/reconf.sh"] },
    { name: "rename twice", lines: [M, "sentinel rename-command m config a", "sentinel rename-command m CONFIG b"] },
    { name: "known-slave duplicate", lines: [M, "sentinel known-replica m 127.0.0.1 6380", "sentinel known-slave m 127.0.0.1 6380"] },
    { name: "known-sentinel duplicate", lines: [M, `sentinel known-sentinel m 127.0.0.1 1 ${RUNID}`, `sentinel known-sentinel m 127.0.0.2 2 ${RUNID}`] },
    { name: "myid", lines: ["sentinel myid abc"] },
    { name: "deny-scripts-reconfig", lines: ["sentinel deny-scripts-reconfig x"] },
    { name: "resolve-hostnames", lines: ["sentinel resolve-hostnames x"] },
    { name: "announce-hostnames", lines: ["sentinel announce-hostnames x"] },
    { name: "unrecognized", lines: ["sentinel foo"] },
    { name: "pass order beats file order", lines: ["sentinel down-after-milliseconds nosuch 1", M, "sentinel myid short"] },
    { name: "override line numbering", lines: [M], overrides: [["tcp-keepalive", "x"]] },
    { name: "sentinel override", lines: [M], overrides: [["sentinel", "down-after-milliseconds", "m", "0"]] },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const port = await freePort();
      // The prelude keeps a config Redis unexpectedly accepts from touching the default port.
      const text = [`port ${port}`, "bind 127.0.0.1", ...c.lines].join("\n") + "\n";
      const conf = join(dir, `err-${port}.conf`);
      writeFileSync(conf, text);
      const args = [conf, ...(c.overrides ?? []).flatMap(([name, ...rest]) => [`--${name}`, ...rest])];
      const run = spawnSync(SENTINEL_BIN, args, { encoding: "utf8", timeout: 5000 });
      expect(run.status, `redis-sentinel should reject it:\n${run.stdout}${run.stderr}`).toBe(1);
      const m = /Reading the configuration file, at line (\d+)\n>>> '(.*)'\n(.*)\n/.exec(run.stderr);
      expect(m, run.stderr).not.toBeNull();
      const ours = loadConfig(text, conf, c.overrides, { isExecutable });
      expect(ours.ok).toBe(false);
      if (ours.ok || !m) return;
      expect({ line: ours.error.line, lineText: ours.error.lineText, message: ours.error.message }).toEqual({
        line: Number(m[1]),
        lineText: m[2],
        message: m[3],
      });
    });
  }
});

/** What a Sentinel reports about its one master and its globals: everything its file configures. */
async function reportedState(port: number): Promise<Record<string, unknown>> {
  const master = replyPairs(await cmd(port, "SENTINEL", "MASTER", "m"));
  const keep = ["name", "ip", "port", "quorum", "down-after-milliseconds", "failover-timeout", "parallel-syncs", "config-epoch"];
  return {
    myid: await cmd(port, "SENTINEL", "MYID"),
    master: Object.fromEntries(keep.map((k) => [k, master[k]])),
    config: replyPairs(await cmd(port, "SENTINEL", "CONFIG", "GET", "*")),
  };
}

async function stop(p: Proc): Promise<void> {
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 5000);
  await p.exited();
  clearTimeout(t);
}

function rebootPeriod(text: string, path: string, dialect: SentinelDialect): number {
  const r = loadConfig(text, path, [["vigil-dialect", dialect]], { isExecutable });
  if (!r.ok) throw new Error(`${formatConfigError(r.error)}\n--- file ---\n${text}`);
  return r.config.masters[0]!.settings.masterRebootDownAfterMs;
}

describe.each(SENTINEL_DIALECTS)("a file rewritten by the %s oracle", (dialect) => {
  it(`loads unchanged in vigil --vigil-dialect ${dialect} with the same state, and the oracle loads vigil's rewrite`, async () => {
    const oracle = oracleSentinel(dialect);
    const [port, masterPort] = await freePorts(2);
    const conf = join(dir, `oracle-${dialect}-${port}.conf`);
    const reboot = dialect === "valkey-8" ? "primary-reboot-down-after-period" : "master-reboot-down-after-period";
    writeFileSync(
      conf,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor m 127.0.0.1 ${masterPort} 2`,
        "sentinel down-after-milliseconds m 15000",
        "sentinel auth-pass m s3cret",
        "sentinel rename-command m CONFIG XCONFIG",
        "",
      ].join("\n"),
    );
    // The oracle completes the file (myid), then rewrites it with what SENTINEL SET / CONFIG SET changed.
    let p = await startOfKind("redis", conf, port, [], undefined, dialect);
    expect(await cmd(port, "SENTINEL", "SET", "m", "quorum", "1", "failover-timeout", "60000", "parallel-syncs", "3", reboot, "2500")).toBe("OK");
    const globals = dialect === "redis-7.0" ? [["announce-port", "7777"]] : [["announce-port", "7777", "announce-hostnames", "yes", "loglevel", "verbose"]];
    for (const g of globals) expect(await cmd(port, "SENTINEL", "CONFIG", "SET", ...g)).toBe("OK");
    expect(await cmd(port, "SENTINEL", "FLUSHCONFIG")).toBe("OK");
    const theirs = await reportedState(port);
    await stop(p);
    const written = readFileSync(conf, "utf8");
    expect(written, `${oracle.label} writes its own spelling`).toContain(`sentinel ${reboot} m 2500`);

    p = await startOfKind("vigil", conf, port, [], undefined, dialect);
    try {
      expect(readFileSync(conf, "utf8"), "vigil starts on the file without changing it").toBe(written);
      expect(await reportedState(port)).toEqual(theirs);
      expect(rebootPeriod(written, conf, dialect)).toBe(2500);
      expect(await cmd(port, "SENTINEL", "FLUSHCONFIG")).toBe("OK");
    } finally {
      await stop(p);
    }
    const ours = readFileSync(conf, "utf8");
    expect(ours, "vigil writes the dialect's spelling back").toContain(`sentinel ${reboot} m 2500`);

    p = await startOfKind("redis", conf, port, [], undefined, dialect);
    try {
      expect(await reportedState(port)).toEqual(theirs);
    } finally {
      await stop(p);
    }
  }, 60000);
});
