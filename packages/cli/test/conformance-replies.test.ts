/**
 * Differential conformance of replies, once per dialect: that dialect's real Sentinel (Debian's
 * redis-sentinel 7.0.15, Redis 7.2.6, Valkey 8.0.1: support/oracles.ts) and one vigil daemon with
 * `--vigil-dialect` (in its default `fast` profile, as users run it) monitor the same master with
 * two replicas and know each other. The same scripted commands go to both over raw RESP, in RESP2 and in RESP3 (HELLO 3),
 * and the replies are compared structurally after normalising times, ids, ports and run ids: names,
 * order, RESP types, flags and error texts must match. Every difference that remains must be one of
 * the ALLOWED ones below, each documented in docs/compatibility.md (the test checks the document),
 * and each allowance must still be needed. Missing binaries fail the suite.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Allowance, classify, type Difference, report, runDifferential, type Side, type Step, type Topology } from "./support/differential.js";
import { DEFAULT_DOWN_AFTER, Fleet, MASTER_NAME } from "./support/fleet.js";
import { dialectArgs, oracleSentinel, SENTINEL_DIALECTS, type SentinelDialect } from "./support/oracles.js";
import { freePort, killAll, tempDir, VIGIL_BIN, waitFor } from "./support/processes.js";
import { pairs, type Resp, RespConnection } from "./support/resp-client.js";

const COMPAT_DOC = resolve(import.meta.dirname, "../../../docs/compatibility.md");

/**
 * Intentional differences; `id` is a heading anchor in docs/compatibility.md. `detail` must match
 * the rendered difference, so an allowance cannot swallow an unrelated difference in the same step.
 */
const COMMON: Allowance[] = [
  // vigil's default timing profile: PING and ASK periods are 100 ms.
  { id: "fast-timing", step: /^SENTINEL DEBUG$/, path: /^\[0\](\[[35]\]|\.(PING-PERIOD|ASK-PERIOD))$/, detail: /"1000".*"100"/ },
  // Build identity in INFO server: vigil is not a C build.
  { id: "info-server", step: /^INFO/, detail: /^"redis_build_id:[0-9a-f]+" "redis_build_id:0"$|^"gcc_version:[\d.]+" "gcc_version:0\.0\.0"$/ },
  // SENTINEL VIGIL-* subcommands answer (they are not in the command table COMMAND enumerates).
  { id: "vigil-extensions", step: /VIGIL-/, detail: /unknown subcommand 'vigil-/i },
];

/** What differs per dialect, beyond {@link COMMON}. */
const ALLOWED: Readonly<Record<SentinelDialect, Allowance[]>> = {
  "redis-7.0": COMMON,
  "redis-7.2": COMMON,
  "valkey-8": [
    ...COMMON,
    // The oracle is a development build (`redis_git_dirty:1`); a release build reports 0 like vigil.
    { id: "valkey-build", step: /^INFO/, detail: /^"redis_git_dirty:1" "redis_git_dirty:0"$/ },
    // Valkey's per-client command count: the two SENTINEL VIGIL-* commands run (and count) on vigil only.
    { id: "valkey-client-totals", step: /^CLIENT (LIST|INFO)/, detail: /^"tot-cmds=\d+" "tot-cmds=\d+"$/ },
  ],
};

const id = (ctx: { vars: Record<string, string> }) => ctx.vars.clientId ?? "0";
const saveId = (frames: readonly Resp[], vars: Record<string, string>) => {
  const f = frames[0];
  if (f?.t === "int") vars.clientId = f.v;
};

/** Everything a client can ask a Sentinel, with valid and invalid arguments. */
function script(): Step[] {
  const s = (label: string, args: (string | number)[] | ((ctx: { topo: Topology; vars: Record<string, string> }) => (string | number)[]), extra: Partial<Step> = {}): Step => ({
    label,
    args,
    ...extra,
  });
  const read = (label: string, replies: number): Step => ({ label, replies });
  const M = MASTER_NAME;
  return [
    // ---- generic dispatch
    s("PING", ["PING"]),
    s("PING msg", ["PING", "hello"]),
    s("PING arity", ["PING", "a", "b"]),
    s("unknown command", ["GET", "foo"]),
    s("ECHO is unknown", ["ECHO", "hi"]),
    s("QUIT is unknown", ["QUIT"]),
    // ---- SENTINEL container
    s("SENTINEL arity", ["SENTINEL"]),
    s("SENTINEL unknown subcommand", ["SENTINEL", "foo"]),
    s("SENTINEL HELP", ["SENTINEL", "HELP"]),
    s("SENTINEL help lowercase", ["sentinel", "help"]),
    s("SENTINEL HELP arity", ["SENTINEL", "HELP", "x"]),
    s("SENTINEL MASTERS", ["SENTINEL", "MASTERS"]),
    s("SENTINEL MASTERS arity", ["SENTINEL", "MASTERS", "x"]),
    s("SENTINEL MASTER", ["SENTINEL", "MASTER", M]),
    s("SENTINEL MASTER unknown", ["SENTINEL", "MASTER", "nosuch"]),
    s("SENTINEL MASTER arity", ["SENTINEL", "MASTER"]),
    s("SENTINEL REPLICAS", ["SENTINEL", "REPLICAS", M]),
    s("SENTINEL SLAVES", ["SENTINEL", "SLAVES", M]),
    s("SENTINEL REPLICAS unknown", ["SENTINEL", "REPLICAS", "nosuch"]),
    s("SENTINEL SENTINELS", ["SENTINEL", "SENTINELS", M]),
    s("SENTINEL SENTINELS unknown", ["SENTINEL", "SENTINELS", "nosuch"]),
    s("SENTINEL GET-MASTER-ADDR-BY-NAME", ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", M]),
    s("SENTINEL GET-MASTER-ADDR-BY-NAME unknown", ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nosuch"]),
    s("SENTINEL GET-MASTER-ADDR-BY-NAME arity", ["SENTINEL", "GET-MASTER-ADDR-BY-NAME"]),
    s("SENTINEL CKQUORUM", ["SENTINEL", "CKQUORUM", M]),
    s("SENTINEL CKQUORUM unknown", ["SENTINEL", "CKQUORUM", "nosuch"]),
    s("SENTINEL MYID", ["SENTINEL", "MYID"]),
    s("SENTINEL MYID arity", ["SENTINEL", "MYID", "x"]),
    s("SENTINEL PENDING-SCRIPTS", ["SENTINEL", "PENDING-SCRIPTS"]),
    s("SENTINEL INFO-CACHE", ["SENTINEL", "INFO-CACHE", M], { volatileInts: true }),
    s("SENTINEL INFO-CACHE unknown", ["SENTINEL", "INFO-CACHE", "nosuch"]),
    s("SENTINEL INFO-CACHE mixed", ["SENTINEL", "INFO-CACHE", "nosuch", M], { volatileInts: true }),
    s("SENTINEL INFO-CACHE arity", ["SENTINEL", "INFO-CACHE"]),
    s("SENTINEL IS-MASTER-DOWN-BY-ADDR probe", ({ topo: t }) => ["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", t.masterPort, 0, "*"]),
    s("SENTINEL IS-MASTER-DOWN-BY-ADDR stale vote", ({ topo: t }) => ["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", t.masterPort, 0, "a".repeat(40)]),
    s("SENTINEL IS-MASTER-DOWN-BY-ADDR unknown master", ["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", 1, 0, "*"]),
    s("SENTINEL IS-MASTER-DOWN-BY-ADDR bad port", ["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", "x", 0, "*"]),
    s("SENTINEL IS-MASTER-DOWN-BY-ADDR bad epoch", ({ topo: t }) => ["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", t.masterPort, "e", "*"]),
    s("SENTINEL IS-MASTER-DOWN-BY-ADDR arity", ["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", 1, 0]),
    s("SENTINEL CONFIG GET *", ["SENTINEL", "CONFIG", "GET", "*"]),
    s("SENTINEL CONFIG GET two patterns", ["SENTINEL", "CONFIG", "GET", "announce-*", "LOGLEVEL"]),
    s("SENTINEL CONFIG GET unknown", ["SENTINEL", "CONFIG", "GET", "nosuch"]),
    s("SENTINEL CONFIG GET loglevel", ["SENTINEL", "CONFIG", "GET", "loglevel"]),
    s("SENTINEL CONFIG SET two", ["SENTINEL", "CONFIG", "SET", "loglevel", "notice", "announce-port", "0"]),
    s("SENTINEL CONFIG GET arity", ["SENTINEL", "CONFIG", "GET"]),
    s("SENTINEL CONFIG other", ["SENTINEL", "CONFIG", "FOO", "x"]),
    s("SENTINEL CONFIG SET unknown", ["SENTINEL", "CONFIG", "SET", "nosuch", "x"]),
    s("SENTINEL CONFIG SET bad value", ["SENTINEL", "CONFIG", "SET", "announce-port", "x"]),
    s("SENTINEL CONFIG SET duplicate", ["SENTINEL", "CONFIG", "SET", "loglevel", "notice", "loglevel", "notice"]),
    s("SENTINEL CONFIG SET missing value", ["SENTINEL", "CONFIG", "SET", "loglevel", "notice", "announce-port"]),
    s("SENTINEL CONFIG SET", ["SENTINEL", "CONFIG", "SET", "loglevel", "notice"]),
    s("SENTINEL DEBUG", ["SENTINEL", "DEBUG"]),
    s("SENTINEL DEBUG unknown", ["SENTINEL", "DEBUG", "foo", "1"]),
    s("SENTINEL DEBUG bad value", ["SENTINEL", "DEBUG", "info-period", "abc"]),
    s("SENTINEL DEBUG odd args", ["SENTINEL", "DEBUG", "info-period"]),
    s("SENTINEL DEBUG set", ["SENTINEL", "DEBUG", "info-period", "10000"]),
    s("SENTINEL SIMULATE-FAILURE help", ["SENTINEL", "SIMULATE-FAILURE", "help"]),
    s("SENTINEL SIMULATE-FAILURE unknown", ["SENTINEL", "SIMULATE-FAILURE", "foo"]),
    s("SENTINEL SIMULATE-FAILURE arity", ["SENTINEL", "SIMULATE-FAILURE"]),
    s("SENTINEL SIMULATE-FAILURE set", ["SENTINEL", "SIMULATE-FAILURE", "crash-after-promotion"]),
    s("INFO sentinel (flags set)", ["INFO", "sentinel"]),
    s("SENTINEL SIMULATE-FAILURE reset by help", ["SENTINEL", "SIMULATE-FAILURE", "help"]),
    s("INFO sentinel (flags reset)", ["INFO", "sentinel"]),
    s("SENTINEL SET unknown master", ["SENTINEL", "SET", "nosuch", "quorum", "2"]),
    s("SENTINEL SET bad value", ["SENTINEL", "SET", M, "quorum", "0"]),
    s("SENTINEL SET bad down-after", ["SENTINEL", "SET", M, "down-after-milliseconds", "-1"]),
    s("SENTINEL SET unknown option", ["SENTINEL", "SET", M, "foo", "bar"]),
    s("SENTINEL SET missing value", ["SENTINEL", "SET", M, "quorum", "2", "failover-timeout"]),
    s("SENTINEL SET arity", ["SENTINEL", "SET", M, "quorum"]),
    s("SENTINEL SET script denied", ["SENTINEL", "SET", M, "notification-script", "/bin/true"]),
    s("SENTINEL SET rename-command empty", ["SENTINEL", "SET", M, "rename-command", "PING", ""]),
    s("SENTINEL SET rename-command identity", ["SENTINEL", "SET", M, "rename-command", "PING", "PING"]),
    s("SENTINEL SET same values", ["SENTINEL", "SET", M, "quorum", "2", "down-after-milliseconds", DEFAULT_DOWN_AFTER, "failover-timeout", "10000", "parallel-syncs", "1"]),
    s("SENTINEL SET master-reboot", ["SENTINEL", "SET", M, "master-reboot-down-after-period", "0"]),
    s("SENTINEL SET primary-reboot (Valkey)", ["SENTINEL", "SET", M, "primary-reboot-down-after-period", "0"]),
    s("SENTINEL SET primary-reboot bad value", ["SENTINEL", "SET", M, "PRIMARY-reboot-down-after-period", "-1"]),
    s("SENTINEL MONITOR bad quorum", ["SENTINEL", "MONITOR", "other", "127.0.0.1", 1, "x"]),
    s("SENTINEL MONITOR bad port", ["SENTINEL", "MONITOR", "other", "127.0.0.1", "x", 2]),
    s("SENTINEL MONITOR zero quorum", ["SENTINEL", "MONITOR", "other", "127.0.0.1", 1, 0]),
    s("SENTINEL MONITOR bad ip", ["SENTINEL", "MONITOR", "other", "not-an-ip", 1, 2]),
    s("SENTINEL MONITOR port range", ["SENTINEL", "MONITOR", "other", "127.0.0.1", 70000, 2]),
    s("SENTINEL MONITOR duplicate", ["SENTINEL", "MONITOR", M, "127.0.0.1", 1, 2]),
    s("SENTINEL MONITOR arity", ["SENTINEL", "MONITOR", "other", "127.0.0.1", 1]),
    s("SENTINEL MONITOR", ({ topo: t }) => ["SENTINEL", "MONITOR", "other", "127.0.0.1", [...(t.extraPorts ?? new Map()).keys()][0]!, 2]),
    // "other" watches a dead port: both daemons answer `master,disconnected`, but the oracle clears
    // the flag between starting a connect and learning it was refused; a query can land there (in
    // MASTER and in MASTERS alike: redis 7.2.6 answered `master` once in CI).
    s("SENTINEL MASTER new", ["SENTINEL", "MASTER", "other"], { racyFlags: ["disconnected"] }),
    s("SENTINEL MASTERS two", ["SENTINEL", "MASTERS"], { unordered: true, racyFlags: ["disconnected"] }),
    s("ROLE two masters", ["ROLE"], { sortLeaves: true }),
    s("SENTINEL FAILOVER no replica", ["SENTINEL", "FAILOVER", "other"]),
    s("SENTINEL RESET no match", ["SENTINEL", "RESET", "nomatch*"]),
    s("SENTINEL RESET new", ["SENTINEL", "RESET", "oth?r"]),
    s("SENTINEL RESET arity", ["SENTINEL", "RESET"]),
    s("SENTINEL REMOVE", ["SENTINEL", "REMOVE", "other"]),
    s("SENTINEL REMOVE unknown", ["SENTINEL", "REMOVE", "other"]),
    s("SENTINEL FAILOVER unknown", ["SENTINEL", "FAILOVER", "nosuch"]),
    s("SENTINEL FAILOVER arity", ["SENTINEL", "FAILOVER"]),
    s("SENTINEL FLUSHCONFIG", ["SENTINEL", "FLUSHCONFIG"]),
    s("SENTINEL FLUSHCONFIG arity", ["SENTINEL", "FLUSHCONFIG", "x"]),
    // ---- extensions: Valkey's PRIMARY aliases and vigil's own subcommands (redis-sentinel: unknown)
    s("SENTINEL PRIMARY", ["SENTINEL", "PRIMARY", M]),
    s("SENTINEL PRIMARIES", ["SENTINEL", "PRIMARIES"]),
    s("SENTINEL GET-PRIMARY-ADDR-BY-NAME", ["SENTINEL", "GET-PRIMARY-ADDR-BY-NAME", M]),
    s("SENTINEL IS-PRIMARY-DOWN-BY-ADDR", ({ topo: t }) => ["SENTINEL", "IS-PRIMARY-DOWN-BY-ADDR", "127.0.0.1", t.masterPort, 0, "*"]),
    s("SENTINEL VIGIL-EXPLAIN", ["SENTINEL", "VIGIL-EXPLAIN", M]),
    s("SENTINEL VIGIL-FAILOVER-PLAN", ["SENTINEL", "VIGIL-FAILOVER-PLAN", M]),
    // ---- INFO and ROLE
    s("INFO", ["INFO"]),
    s("INFO server", ["INFO", "server"]),
    s("INFO SERVER uppercase", ["INFO", "SERVER"]),
    s("INFO clients", ["INFO", "clients"]),
    s("INFO cpu", ["INFO", "cpu"]),
    s("INFO stats", ["INFO", "stats"]),
    s("INFO sentinel", ["INFO", "sentinel"]),
    s("INFO default", ["INFO", "default"]),
    s("INFO all", ["INFO", "all"]),
    s("INFO everything", ["INFO", "everything"]),
    s("INFO unknown section", ["INFO", "foo"]),
    s("INFO two sections", ["INFO", "sentinel", "server"]),
    s("INFO replication (absent in sentinel mode)", ["INFO", "replication"]),
    s("ROLE", ["ROLE"]),
    s("ROLE arity", ["ROLE", "x"]),
    // ---- COMMAND
    s("COMMAND COUNT", ["COMMAND", "COUNT"], { commandTable: true }),
    s("COMMAND LIST", ["COMMAND", "LIST"], { unordered: true, commandTable: true }),
    s("COMMAND LIST FILTERBY pattern", ["COMMAND", "LIST", "FILTERBY", "PATTERN", "s*"], { unordered: true, commandTable: true }),
    s("COMMAND LIST FILTERBY aclcat", ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "admin"], { unordered: true, commandTable: true }),
    s("COMMAND LIST bad filter", ["COMMAND", "LIST", "FILTERBY", "foo", "x"], { commandTable: true }),
    s("COMMAND INFO sentinel", ["COMMAND", "INFO", "sentinel"], { commandTable: true }),
    s("COMMAND INFO ping + unknown", ["COMMAND", "INFO", "ping", "nosuch"], { commandTable: true }),
    s("COMMAND INFO client", ["COMMAND", "INFO", "client"], { commandTable: true }),
    s("COMMAND INFO sub", ["COMMAND", "INFO", "sentinel|master"], { commandTable: true }),
    s("COMMAND INFO", ["COMMAND", "INFO"], { unordered: true, commandTable: true }),
    s("COMMAND DOCS ping", ["COMMAND", "DOCS", "ping"], { commandTable: true }),
    s("COMMAND DOCS sentinel", ["COMMAND", "DOCS", "sentinel"], { commandTable: true }),
    s("COMMAND DOCS client", ["COMMAND", "DOCS", "client"], { commandTable: true }),
    s("COMMAND DOCS unknown", ["COMMAND", "DOCS", "nosuch"], { commandTable: true }),
    s("COMMAND DOCS", ["COMMAND", "DOCS"], { commandTable: true }),
    s("COMMAND", ["COMMAND"], { unordered: true, commandTable: true }),
    s("COMMAND HELP", ["COMMAND", "HELP"], { commandTable: true }),
    s("COMMAND GETKEYS", ["COMMAND", "GETKEYS", "ping"], { commandTable: true }),
    s("COMMAND unknown subcommand", ["COMMAND", "foo"], { commandTable: true }),
    // ---- HELLO
    s("HELLO bad version", ["HELLO", "4"]),
    s("HELLO not a number", ["HELLO", "abc"]),
    s("HELLO AUTH wrong", ["HELLO", "2", "AUTH", "default", "nope"]),
    // ---- CLIENT
    s("CLIENT ID", ["CLIENT", "ID"], { volatileInts: true, save: saveId }),
    s("CLIENT GETNAME unset", ["CLIENT", "GETNAME"]),
    s("CLIENT SETNAME", ["CLIENT", "SETNAME", "differential"]),
    s("CLIENT SETNAME space", ["CLIENT", "SETNAME", "a b"]),
    s("CLIENT GETNAME", ["CLIENT", "GETNAME"]),
    s("CLIENT SETNAME arity", ["CLIENT", "SETNAME"]),
    s("CLIENT INFO", ["CLIENT", "INFO"]),
    s("CLIENT LIST ID self", (ctx) => ["CLIENT", "LIST", "ID", id(ctx)]),
    s("CLIENT LIST ID unknown", ["CLIENT", "LIST", "ID", 999999]),
    s("CLIENT LIST ID bad", ["CLIENT", "LIST", "ID", "x"]),
    s("CLIENT LIST TYPE bad", ["CLIENT", "LIST", "TYPE", "foo"]),
    s("CLIENT LIST TYPE master", ["CLIENT", "LIST", "TYPE", "master"]),
    s("CLIENT KILL unknown id", ["CLIENT", "KILL", "ID", 999999]),
    s("CLIENT KILL old style", ["CLIENT", "KILL", "127.0.0.1:1"]),
    s("CLIENT KILL MAXAGE (Valkey)", ["CLIENT", "KILL", "MAXAGE", 100000]),
    s("CLIENT KILL MAXAGE zero", ["CLIENT", "KILL", "MAXAGE", 0]),
    s("CLIENT KILL MAXAGE bad", ["CLIENT", "KILL", "MAXAGE", "x"]),
    s("CLIENT NO-EVICT on", ["CLIENT", "NO-EVICT", "on"]),
    s("CLIENT NO-EVICT bad", ["CLIENT", "NO-EVICT", "maybe"]),
    s("CLIENT NO-EVICT off", ["CLIENT", "NO-EVICT", "off"]),
    s("CLIENT NO-TOUCH (7.2)", ["CLIENT", "NO-TOUCH", "on"]),
    s("CLIENT SETINFO (7.2)", ["CLIENT", "SETINFO", "lib-name", "x"]),
    s("CLIENT UNPAUSE", ["CLIENT", "UNPAUSE"]),
    s("CLIENT GETREDIR", ["CLIENT", "GETREDIR"]),
    s("CLIENT TRACKINGINFO", ["CLIENT", "TRACKINGINFO"]),
    s("CLIENT HELP", ["CLIENT", "HELP"]),
    s("CLIENT unknown subcommand", ["CLIENT", "foo"]),
    s("CLIENT arity", ["CLIENT"]),
    // ---- AUTH / ACL (no password configured)
    s("AUTH without password configured", ["AUTH", "foo"]),
    s("AUTH wrong user", ["AUTH", "a", "b"]),
    s("ACL WHOAMI", ["ACL", "WHOAMI"]),
    s("ACL USERS", ["ACL", "USERS"]),
    s("ACL CAT", ["ACL", "CAT"]),
    s("ACL CAT admin", ["ACL", "CAT", "admin"], { unordered: true }),
    s("ACL GETUSER default", ["ACL", "GETUSER", "default"]),
    s("ACL LIST", ["ACL", "LIST"]),
    s("ACL unknown subcommand", ["ACL", "foo"]),
    // ---- PUBLISH / SUBSCRIBE
    s("PUBLISH other channel", ["PUBLISH", "foo", "bar"]),
    s("PUBLISH hello garbage", ["PUBLISH", "__sentinel__:hello", "garbage"]),
    s("PUBLISH arity", ["PUBLISH", "foo"]),
    s("SUBSCRIBE two channels", ["SUBSCRIBE", "+set", "+nothing"], { replies: 2 }),
    s("SENTINEL SET (aux) triggers +set", ["SENTINEL", "SET", M, "quorum", "2"], { on: "aux" }),
    read("message +set", 1),
    s("PSUBSCRIBE pattern", ["PSUBSCRIBE", "+se*"]),
    s("SENTINEL SET (aux) triggers +set again", ["SENTINEL", "SET", M, "quorum", "2"], { on: "aux" }),
    read("message and pmessage +set", 2),
    s("PING while subscribed", ["PING"]),
    s("PING msg while subscribed", ["PING", "x"]),
    s("ROLE while subscribed", ["ROLE"]),
    s("UNSUBSCRIBE one", ["UNSUBSCRIBE", "+set"]),
    s("UNSUBSCRIBE all (one left)", ["UNSUBSCRIBE"]),
    s("PUNSUBSCRIBE all", ["PUNSUBSCRIBE"]),
    s("UNSUBSCRIBE when none", ["UNSUBSCRIBE"]),
    s("PING after unsubscribe", ["PING"]),
  ];
}

/** One conformance suite: the dialect's oracle and vigil with --vigil-dialect, over one fleet. */
function conformance(dialect: SentinelDialect): void {
  const oracle = oracleSentinel(dialect);
  let fleet: Fleet;
  let sides: [Side, Side];
  let topo: Topology;

  beforeAll(async () => {
    fleet = await Fleet.start(["redis", "vigil"], { dialect });
    const [r, v] = fleet.members as [(typeof fleet.members)[0], (typeof fleet.members)[0]];
    sides = [
      { kind: "redis", port: r.port, myId: r.myId },
      { kind: "vigil", port: v.port, myId: v.myId },
    ];
    const deadPort = await freePort();
    topo = { masterPort: fleet.masterPort, replicaPorts: [...fleet.redis.keys()].filter((p) => p !== fleet.masterPort), extraPorts: new Map([[deadPort, "<dead>"]]) };
  }, 120000);

  afterAll(async () => {
    await fleet?.close();
  });

  async function differences(proto: 2 | 3): Promise<Difference[]> {
    return runDifferential(sides, topo, script(), proto);
  }

  describe(`differential conformance of replies (${oracle.label} vs vigil --vigil-dialect ${dialect}, same topology)`, () => {
    const all: Difference[] = [];
    const used = new Set<string>();

    for (const proto of [2, 3] as const) {
      it(`RESP${proto}: every scripted reply matches up to normalisation and documented differences`, async () => {
        const t = Date.now();
        const diffs = await differences(proto);
        all.push(...diffs);
        const c = classify(diffs, ALLOWED[dialect]);
        for (const u of c.used) used.add(u);
        if (process.env.CONFORMANCE_DEBUG) console.log(report(diffs));
        console.log(`[conformance ${dialect} RESP${proto}] ${script().length} steps, ${diffs.length} differences (${diffs.length - c.unexplained.length} documented), ${Date.now() - t} ms`);
        expect(c.unexplained, `unexplained differences:\n${report(c.unexplained)}`).toEqual([]);
      });
    }

    it("every allowance is still needed and documented in docs/compatibility.md", () => {
      const doc = readFileSync(COMPAT_DOC, "utf8");
      for (const a of new Set(ALLOWED[dialect].map((x) => x.id))) {
        expect(doc, `docs/compatibility.md documents {#${a}}`).toContain(`{#${a}}`);
        if (ALLOWED[dialect].some((x) => x.id === a && !x.optional)) expect(used.has(a), `allowance ${a} is still needed`).toBe(true);
      }
    });
  });

  describe(`what a monitored Redis sees from each kind (${dialect})`, () => {
    it("the same connections: names, RESP2, flags, subscriptions", async () => {
      const c = await RespConnection.open(topo.masterPort);
      try {
        const list = await c.one("CLIENT", "LIST");
        const lines = list.t === "bulk" || list.t === "verbatim" ? list.v.split("\n").filter((l) => l !== "") : [];
        const seen = (side: Side) =>
          lines
            .map((l) => Object.fromEntries(l.split(" ").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)])))
            .filter((f) => f.name?.startsWith(`sentinel-${side.myId.slice(0, 8)}-`))
            .map((f) => `${f.name!.replace(side.myId.slice(0, 8), "<id8>")} resp=${f.resp} flags=${f.flags} db=${f.db} sub=${f.sub} psub=${f.psub} multi=${f.multi} user=${f.user}`)
            .sort();
        expect(seen(sides[1])).toEqual(seen(sides[0]));
        expect(seen(sides[0])).toEqual(["sentinel-<id8>-cmd resp=2 flags=N db=0 sub=0 psub=0 multi=-1 user=default", "sentinel-<id8>-pubsub resp=2 flags=P db=0 sub=1 psub=0 multi=-1 user=default"]);
      } finally {
        c.close();
      }
    });
  });

  describe(`standalone daemons (${dialect}; no peers, no other clients: counters and periods are comparable)`, () => {
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
    });

    /**
     * A redis-sentinel and a vigil daemon monitoring a dead port, each alone. Readiness is probed with
     * bare TCP connects (no command), so the only commands they ever see are the test's.
     */
    async function pair(vigilArgs: string[]): Promise<[Side, Side]> {

      const dir = tempDir("vigil-standalone-");
      const dead = await freePort();
      const out: Side[] = [];
      for (const kind of ["redis", "vigil"] as const) {
        const port = await freePort();
        const conf = join(dir, `${kind}.conf`);
        writeFileSync(conf, [`port ${port}`, "bind 127.0.0.1", `dir ${dir}`, `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${dead} 2`, ""].join("\n"));
        const child =
          kind === "redis"
            ? spawn(oracle.bin, [conf, ...oracle.extraArgs], { stdio: "ignore" })
            : spawn(process.execPath, [VIGIL_BIN, conf, ...vigilArgs, ...dialectArgs(dialect)], { stdio: "ignore" });
        children.push(child);
        await waitFor(() => tcpOpen(port), 15000, 25);
        out.push({ kind, port, myId: "" });
      }
      return out as [Side, Side];
    }

    function tcpOpen(port: number): Promise<boolean> {
      return new Promise((ok) => {
        const s = connect(port, "127.0.0.1", () => {
          s.destroy();
          ok(true);
        });
        s.once("error", () => ok(false));
      });
    }

    it("with --vigil-timing sentinel, SENTINEL DEBUG reports Sentinel's exact periods", async () => {
      const [r, v] = await pair(["--vigil-timing", "sentinel"]);
      const debug = async (port: number) => {
        const c = await RespConnection.open(port);
        try {
          return pairs(await c.one("SENTINEL", "DEBUG"));
        } finally {
          c.close();
        }
      };
      expect(await debug(v.port)).toEqual(await debug(r.port));
    });

    it("INFO stats counts commands and errors like Redis (INFO does not count itself)", async () => {
      const [r, v] = await pair([]);
      const counters = async (port: number) => {
        const c = await RespConnection.open(port);
        try {
          const read = async () => {
            const f = await c.one("INFO", "stats");
            const text = f.t === "bulk" ? f.v : "";
            return Object.fromEntries(
              text
                .split("\r\n")
                .filter((l) => /^(total_commands_processed|total_error_replies):/.test(l))
                .map((l) => l.split(":") as [string, string]),
            );
          };
          const first = await read();
          await c.one("ROLE");
          await c.one("NOSUCH");
          await c.one("SENTINEL", "MASTER", "nosuch");
          const second = await read();
          return { first, second };
        } finally {
          c.close();
        }
      };
      expect(await counters(v.port)).toEqual(await counters(r.port));
    });
  });
}

for (const dialect of SENTINEL_DIALECTS) conformance(dialect);

afterAll(async () => {
  await killAll();
});
