/**
 * Authentication end to end (issue 8, "Security"), with real processes on 127.0.0.1:
 * - the sentinel port with `requirepass` and ACL `user` lines: what a client gets before and after
 *   AUTH, byte for byte like `redis-sentinel` 7.0.15 started from the same directives;
 * - `auth-user` / `auth-pass` towards Redis (requirepass and an ACL user with only the commands a
 *   sentinel needs), rotated at run time with `SENTINEL SET` after Redis's password changed;
 * - `sentinel-user` / `sentinel-pass` between three daemons whose ports require a password: they
 *   find each other and fail over; a wrong password leaves the peers unusable; rotating the
 *   password with `SENTINEL CONFIG SET sentinel-pass` reconnects them.
 * redis-server and redis-sentinel are mandatory: a missing binary fails the file.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawExchange, respCommand } from "./support/hostile.js";
import {
  authCmd,
  type Cluster,
  cleanup,
  freePorts,
  masterAddr,
  type Proc,
  pairs,
  portOf,
  requireBinary,
  roleOf,
  sentinelConf,
  startRedis,
  startSentinel,
  tempDir,
  waitFor,
  writeReplicated,
} from "./support/processes.js";

afterAll(cleanup);

describe("the sentinel port with requirepass and ACL users, like redis-sentinel", () => {
  let vigil: number;
  let oracle: number;
  const lines = [
    "requirepass s3cret",
    "user admin on >adminpw ~* &* +@all",
    // Vigil's ACLs are all-or-nothing per user (+@all / -@all): see docs/reliability.md.
    "user reader on >readpw -@all",
    "user disabled off >offpw +@all",
  ];

  beforeAll(async () => {
    requireBinary("redis-sentinel");
    const [masterPort, vPort, oPort] = await freePorts(3);
    await startRedis(masterPort!);
    vigil = vPort!;
    oracle = oPort!;
    const dir = tempDir("vigil-sec-port-");
    const vConf = sentinelConf(dir, vigil, masterPort!, { quorum: 1, extra: lines });
    const oConf = sentinelConf(tempDir("vigil-sec-oracle-"), oracle, masterPort!, { quorum: 1, extra: lines });
    await Promise.all([startSentinel("vigil", vConf, vigil, [], "s3cret"), startSentinel("redis", oConf, oracle, [], "s3cret")]);
  }, 60_000);

  const same = async (payload: string | Buffer, replies?: number) => {
    const opts = { replies, timeoutMs: replies === undefined ? 5000 : 3000 };
    const [ours, theirs] = await Promise.all([rawExchange(vigil, payload, opts), rawExchange(oracle, payload, opts)]);
    expect({ reply: ours.bytes.toString("latin1"), closed: ours.closed }).toEqual({ reply: theirs.bytes.toString("latin1"), closed: theirs.closed });
    return ours.bytes.toString("latin1");
  };

  it("only AUTH and HELLO ... AUTH are served before authentication, with Redis's exact errors", async () => {
    const before = [
      ["PING"],
      ["SENTINEL", "MASTERS"],
      ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"],
      ["INFO"],
      ["ROLE"],
      ["PUBLISH", "__sentinel__:hello", "x"],
      ["SUBSCRIBE", "+switch-master"],
      ["PSUBSCRIBE", "*"],
      ["CLIENT", "SETNAME", "x"],
      ["COMMAND"],
      ["ACL", "WHOAMI"],
      ["SHUTDOWN"],
      ["HELLO", "3"],
      ["AUTH", "wrong"],
      ["AUTH", "default", "wrong"],
      ["AUTH", "nosuchuser", "pw"],
      ["AUTH", "disabled", "offpw"],
      ["AUTH", "reader", "wrong"],
      ["HELLO", "3", "AUTH", "default", "wrong"],
      ["HELLO", "2", "AUTH", "disabled", "offpw"],
      ["AUTH", "a", "b", "c"],
    ];
    for (const c of before) await same(respCommand(...c), 1);
    expect(await same(respCommand("PING"), 1)).toBe("-NOAUTH Authentication required.\r\n");
    expect(await same(respCommand("AUTH", "wrong"), 1)).toBe("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    // Redis's size limits for clients that have not authenticated yet.
    await same("*11\r\n");
    await same("*1\r\n$16385\r\n");
    // A pipeline: nothing after a failed AUTH runs; everything after a good one does.
    await same(Buffer.concat([respCommand("AUTH", "bad"), respCommand("PING"), respCommand("AUTH", "s3cret"), respCommand("PING")]), 4);
  });

  it("AUTH / HELLO AUTH grant what the user's ACL allows, and no more", async () => {
    await same(Buffer.concat([respCommand("AUTH", "admin", "adminpw"), respCommand("ACL", "WHOAMI"), respCommand("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")]), 3);
    const reader = Buffer.concat([
      respCommand("AUTH", "reader", "readpw"),
      respCommand("PING"),
      respCommand("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"),
      respCommand("SENTINEL", "SET", "mymaster", "quorum", "2"),
      respCommand("SENTINEL", "MASTERS"),
      respCommand("INFO"),
    ]);
    const r = await same(reader, 6);
    expect(r).toContain("-NOPERM this user has no permissions to run the 'ping' command\r\n");
    expect(r).toContain("-NOPERM this user has no permissions to run the 'sentinel|set' command\r\n");
    // HELLO 3 AUTH switches protocol and authenticates in one step (the map differs: version, id).
    const helloAuth = Buffer.concat([respCommand("HELLO", "3", "AUTH", "admin", "adminpw"), respCommand("ACL", "WHOAMI")]);
    const hello = (await rawExchange(vigil, helloAuth, { replies: 2 })).bytes.toString();
    const theirs = (await rawExchange(oracle, helloAuth, { replies: 2 })).bytes.toString();
    expect(hello.split("\r\n").slice(0, 3)).toEqual(theirs.split("\r\n").slice(0, 3));
    expect(hello.endsWith("$5\r\nadmin\r\n")).toBe(true);
  });
});

describe("auth-user / auth-pass towards Redis, rotated at run time", () => {
  let master: Proc;
  let replica: Proc;
  let vigilPort: number;
  const sentinelAcl = "on >spw1 allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill";

  beforeAll(async () => {
    const [mPort, rPort, vPort] = await freePorts(3);
    // The data nodes: requirepass for clients/replication, and an ACL user for the sentinels.
    master = await startRedis(mPort!, { password: "datapw", extra: [`user sentinel ${sentinelAcl}`] });
    replica = await startRedis(rPort!, { replicaOf: mPort!, password: "datapw", extra: [`user sentinel ${sentinelAcl}`] });
    vigilPort = vPort!;
    const conf = sentinelConf(tempDir("vigil-sec-redis-"), vigilPort, mPort!, {
      quorum: 1,
      downAfter: 2000,
      extra: ["sentinel auth-user mymaster sentinel", "sentinel auth-pass mymaster spw1"],
    });
    await startSentinel("vigil", conf, vigilPort);
  }, 60_000);

  const view = async () => pairs(await authCmd(vigilPort, undefined, "SENTINEL", "MASTER", "mymaster"));
  /** Connections the daemon holds on a Redis, as CLIENT LIST lines (named `sentinel-...`). */
  const sentinelConns = async (p: Proc) => String(await authCmd(p.port, p.password, "CLIENT", "LIST")).split("\n").filter((l) => / name=sentinel-/.test(l));

  it("monitors with the ACL user: master healthy, replica discovered, links authenticated as that user", async () => {
    await waitFor(async () => (await view())["num-slaves"] === "1" && (await view()).flags === "master", 20000);
    const conns = await sentinelConns(master);
    expect(conns.length).toBeGreaterThanOrEqual(2);
    for (const l of conns) expect(l).toContain(" user=sentinel ");
  });

  it("after Redis's password changes, SENTINEL SET auth-pass reconnects with the new one and monitoring resumes", async () => {
    for (const p of [master, replica]) {
      expect(await authCmd(p.port, p.password, "ACL", "SETUSER", "sentinel", "resetpass", ">spw2")).toBe("OK");
      // Existing connections stay authenticated in Redis; drop them so only new credentials work.
      await authCmd(p.port, p.password, "CLIENT", "KILL", "USER", "sentinel");
    }
    // With the old password the links cannot come back: Redis logs the failed AUTHs, and the master
    // ends up subjectively down for the daemon.
    await waitFor(async () => String(await authCmd(master.port, master.password, "ACL", "LOG")).includes("sentinel"), 20000);
    await waitFor(async () => /s_down/.test((await view()).flags ?? ""), 20000);
    expect(await authCmd(vigilPort, undefined, "SENTINEL", "SET", "mymaster", "auth-pass", "spw2")).toBe("OK");
    await waitFor(async () => (await view()).flags === "master", 20000);
    const conns = await sentinelConns(master);
    expect(conns.length).toBeGreaterThanOrEqual(2);
    for (const l of conns) expect(l).toContain(" user=sentinel ");
    // The replica is watched again too.
    await waitFor(async () => {
      const reps = (await authCmd(vigilPort, undefined, "SENTINEL", "REPLICAS", "mymaster")) as unknown[];
      return reps.length === 1 && pairs(reps[0]).flags === "slave";
    }, 20000);
    // +set shows the option but never the password.
    expect(String(await authCmd(vigilPort, undefined, "SENTINEL", "MASTER", "mymaster"))).not.toContain("spw2");
  });

  it("fails over through the ACL user (SLAVEOF, CONFIG REWRITE, CLIENT KILL allowed, nothing else needed)", async () => {
    await writeReplicated(master, "k", "v", 1);
    master.kill("SIGKILL");
    await waitFor(async () => (await masterAddr(vigilPort)) === `127.0.0.1:${replica.port}`, 45000);
    await waitFor(async () => (await roleOf(replica)) === "master", 10000);
  });
});

describe("sentinel-pass between peers whose ports require a password", () => {
  const PW1 = "peerpw1";
  const PW2 = "peerpw2";
  let c: Cluster;
  let ports: number[];

  const sentinelsOf = async (port: number, pw: string) =>
    ((await authCmd(port, pw, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).map((s) => pairs(s));

  beforeAll(async () => {
    const all = await freePorts(6);
    const [mPort, r1, r2] = all;
    ports = all.slice(3);
    const master = await startRedis(mPort!);
    const replicas = [await startRedis(r1!, { replicaOf: mPort! }), await startRedis(r2!, { replicaOf: mPort! })];
    const dir = tempDir("vigil-sec-peers-");
    // Sentinel's usual way: the same password on every sentinel's port and for talking to peers.
    const confs = ports.map((p) => sentinelConf(dir, p, mPort!, { quorum: 2, downAfter: 1000, extra: [`requirepass ${PW1}`, `sentinel sentinel-pass ${PW1}`] }));
    const sentinels = await Promise.all(ports.map((p, i) => startSentinel("vigil", confs[i]!, p, [], PW1)));
    c = { dir, name: "mymaster", kind: "vigil", redis: [master, ...replicas], sentinels, confs, sentinelPorts: ports };
  }, 60_000);

  it("discovers each other through the password-protected ports", async () => {
    await waitFor(async () => {
      for (const p of ports) {
        const peers = await sentinelsOf(p, PW1);
        if (peers.length !== 2 || peers.some((s) => s.flags !== "sentinel")) return false;
      }
      return true;
    }, 30000, 200);
  });

  it("a daemon with the wrong sentinel-pass cannot use its peers; fixing it with SENTINEL CONFIG SET reconnects", async () => {
    const odd = ports[0]!;
    expect(await authCmd(odd, PW1, "SENTINEL", "CONFIG", "SET", "sentinel-pass", "wrong")).toBe("OK");
    // Its peers answer -NOAUTH to everything: after down-after they are subjectively down for it.
    await waitFor(async () => (await sentinelsOf(odd, PW1)).every((s) => /s_down/.test(s.flags ?? "")), 20000, 200);
    expect(await authCmd(odd, PW1, "SENTINEL", "CONFIG", "SET", "sentinel-pass", PW1)).toBe("OK");
    await waitFor(async () => (await sentinelsOf(odd, PW1)).every((s) => s.flags === "sentinel"), 20000, 200);
  });

  it("rotates the fleet's password at run time (ACL SETUSER default, then SENTINEL CONFIG SET sentinel-pass) and still fails over", async () => {
    for (const p of ports) expect(await authCmd(p, PW1, "ACL", "SETUSER", "default", "resetpass", `>${PW2}`)).toBe("OK");
    for (const p of ports) expect(await authCmd(p, PW2, "SENTINEL", "CONFIG", "SET", "sentinel-pass", PW2)).toBe("OK");
    expect(await authCmd(ports[0]!, PW2, "SENTINEL", "CONFIG", "GET", "sentinel-pass")).toEqual(["sentinel-pass", PW2]);
    // Old links were dropped and re-established with the new password.
    await waitFor(async () => {
      for (const p of ports) if ((await sentinelsOf(p, PW2)).some((s) => s.flags !== "sentinel")) return false;
      return true;
    }, 30000, 200);
    const old = c.redis[0]!;
    await writeReplicated(old, "k", "before", 2);
    old.kill("SIGKILL");
    const agreed = await waitFor(async () => {
      const addrs = await Promise.all(ports.map((p) => authCmd(p, PW2, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster").then((r) => (r as string[]).join(":"))));
      return addrs.every((a) => a === addrs[0]) && portOf(addrs[0]!) !== old.port ? addrs[0] : null;
    }, 45000, 100);
    const promoted = c.redis.find((r) => r.port === portOf(agreed!))!;
    await waitFor(async () => (await roleOf(promoted)) === "master", 10000);
    const r = new Redis({ port: promoted.port, host: "127.0.0.1", lazyConnect: true });
    await r.connect();
    expect(await r.get("k")).toBe("before");
    r.disconnect();
  });
});
