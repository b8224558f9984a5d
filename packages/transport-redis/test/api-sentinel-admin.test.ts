import { describe, expect, it } from "vitest";
import { bulk, error, integer, OK, simple } from "../src/resp/reply.js";
import { apiFixture, healthyFixture, items, MASTER, MASTER_RUN_ID, MY_ID, PEER, PEER_ID, pairs, REPLICA, REPLICA_RUN_ID, resp2, text } from "./api-support.js";

const err = (value: string) => error(value);
const FLUSH_FAILED = err("ERR Failed to save config file. Check server logs.");
const NO_SUCH = err("ERR No such master with that name");

describe("SENTINEL MONITOR", () => {
  it("checks quorum, then port, then quorum >= 1, then the address, then the port range, then the name", () => {
    const f = apiFixture();
    const monitor = (...a: string[]) => f.sentinel("monitor", ...a);
    expect(monitor("m2", "127.0.0.1", "abc", "abc")).toEqual(err("ERR Invalid quorum"));
    expect(monitor("m2", "127.0.0.1", "6999", "01")).toEqual(err("ERR Invalid quorum"));
    expect(monitor("m2", "127.0.0.1", "abc", "0")).toEqual(err("ERR Invalid port"));
    expect(monitor("m2", "127.0.0.1", "06999", "1")).toEqual(err("ERR Invalid port"));
    expect(monitor("m2", "nohost", "abc", "1")).toEqual(err("ERR Invalid port"));
    expect(monitor("m2", "127.0.0.1", "6999", "0")).toEqual(err("ERR Quorum must be 1 or greater."));
    expect(monitor("m2", "nohost", "6999", "-1")).toEqual(err("ERR Quorum must be 1 or greater."));
    expect(monitor("m2", "localhost", "6999", "1")).toEqual(err("ERR Invalid IP address or hostname specified"));
    expect(monitor("m2", " 127.0.0.1", "6999", "1")).toEqual(err("ERR Invalid IP address or hostname specified"));
    expect(monitor("m2", "", "6999", "1")).toEqual(err("ERR Invalid IP address or hostname specified"));
    expect(monitor("mymaster", "127.0.0.1", "70000", "1")).toEqual(err("ERR Invalid port number."));
    expect(monitor("m2", "127.0.0.1", "-1", "1")).toEqual(err("ERR Invalid port number."));
    expect(monitor("mymaster", "127.0.0.1", "6999", "1")).toEqual(err("ERR Duplicate master name."));
    expect(monitor("", "127.0.0.1", "6999", "1")).toEqual(err("ERR Master name can't be empty."));
    expect(f.persisted).toHaveLength(1); // only the start-up flush
    expect(f.events.filter((e) => e.type === "+monitor")).toHaveLength(1);
  });

  it("adds the master, flushes, replies +OK, then publishes +monitor; defaults come from SENTINEL DEBUG", () => {
    const f = apiFixture();
    f.sentinel("debug", "default-down-after", "12000", "default-failover-timeout", "60000");
    const before = f.persisted.length;
    expect(f.sentinel("monitor", "m2", "127.1", "6999", "3")).toEqual(OK);
    expect(f.persisted).toHaveLength(before + 1);
    expect(f.persisted.at(-1)!.masters.map((m) => m.settings.name)).toEqual(["mymaster", "m2"]);
    expect(f.events.at(-1)).toMatchObject({ type: "+monitor", payload: "master m2 127.0.0.1 6999 quorum 3" });
    const m = Object.fromEntries(pairs(f.sentinel("master", "m2")));
    expect(m).toMatchObject({ ip: "127.0.0.1", port: "6999", quorum: "3", "down-after-milliseconds": "12000", "failover-timeout": "60000" });
  });

  it("canonicalises IP literals like getaddrinfo + inet_ntop", () => {
    const f = apiFixture();
    const cases: [string, string][] = [
      ["0x7f000001", "127.0.0.1"],
      ["0177.0.0.1", "127.0.0.1"],
      ["0:0:0:0:0:0:0:1", "::1"],
      ["::FFFF:127.0.0.1", "::ffff:127.0.0.1"],
      ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["fe80:0:0:0:0:0:0:0", "fe80::"],
    ];
    cases.forEach(([given, stored], i) => {
      expect(f.sentinel("monitor", `c${i}`, given, "7000", "1")).toEqual(OK);
      expect(items(f.sentinel("get-master-addr-by-name", `c${i}`)).map(text)).toEqual([stored, "7000"]);
    });
  });

  it("stores port and quorum as C's int / unsigned int do", () => {
    const f = apiFixture();
    expect(f.sentinel("monitor", "wrap", "127.0.0.1", "4294967297", "2147483648")).toEqual(OK);
    const m = Object.fromEntries(pairs(f.sentinel("master", "wrap")));
    expect(m.port).toBe("1");
    expect(m.quorum).toBe("2147483648");
    // Vigil refuses a quorum the conversion turns into 0 (Sentinel would monitor with quorum 0).
    expect(f.sentinel("monitor", "zero", "127.0.0.1", "7000", "4294967296")).toEqual(err("ERR Quorum must be 1 or greater."));
  });

  it("accepts hostnames only with resolve-hostnames yes, and only resolvable ones when a resolver is given", () => {
    const f = apiFixture({ global: { resolveHostnames: true }, resolveHost: (h) => (h === "db.local" ? "10.0.0.5" : null) });
    expect(f.sentinel("monitor", "h1", "nohost.invalid", "6379", "1")).toEqual(err("ERR Invalid IP address or hostname specified"));
    expect(f.sentinel("monitor", "h2", "db.local", "6379", "1")).toEqual(OK);
    // Connected to and announced by the resolved address; the name only with announce-hostnames yes.
    expect(f.engine.view().master("h2")?.addr).toEqual({ host: "10.0.0.5", port: 6379 });
    expect(items(f.sentinel("get-master-addr-by-name", "h2")).map(text)).toEqual(["10.0.0.5", "6379"]);
    const a = apiFixture({ global: { resolveHostnames: true, announceHostnames: true }, resolveHost: (h) => (h === "db.local" ? "10.0.0.5" : null) });
    expect(a.sentinel("monitor", "h2", "db.local", "6379", "1")).toEqual(OK);
    expect(items(a.sentinel("get-master-addr-by-name", "h2")).map(text)).toEqual(["db.local", "6379"]);
  });

  it("replies the flush error when the config cannot be written (the master is added anyway)", () => {
    const f = apiFixture();
    f.setPersistOk(false);
    expect(f.sentinel("monitor", "m2", "127.0.0.1", "6999", "1")).toEqual(FLUSH_FAILED);
    expect(f.engine.view().master("m2")).toBeDefined();
  });
});

describe("SENTINEL REMOVE / RESET / FLUSHCONFIG", () => {
  it("REMOVE publishes -monitor, forgets the master and flushes", () => {
    const f = apiFixture();
    expect(f.sentinel("remove", "nosuch")).toEqual(NO_SUCH);
    const before = f.persisted.length;
    expect(f.sentinel("remove", "mymaster")).toEqual(OK);
    expect(f.events.at(-1)).toMatchObject({ type: "-monitor", payload: "master mymaster 127.0.0.1 6379" });
    expect(f.persisted).toHaveLength(before + 1);
    expect(f.persisted.at(-1)!.masters).toEqual([]);
    expect(f.sentinel("master", "mymaster")).toEqual(NO_SUCH);
  });

  it("REMOVE replies the flush error on a failed write", () => {
    const f = apiFixture();
    f.setPersistOk(false);
    expect(f.sentinel("remove", "mymaster")).toEqual(FLUSH_FAILED);
  });

  it("RESET matches names with a case-sensitive glob, counts them, publishes +reset-master, does not flush", () => {
    const f = apiFixture({
      masters: ["m1", "m2", "m10", "other", "M3"].map((name, i) => ({ settings: { name, host: "127.0.0.1", port: 7000 + i, quorum: 1 } })),
    });
    const before = f.persisted.length;
    expect(f.sentinel("reset", "m[0-9]")).toEqual(integer(2));
    expect(f.sentinel("reset", "m*")).toEqual(integer(3));
    expect(f.sentinel("reset", "M*")).toEqual(integer(1));
    expect(f.sentinel("reset", "*")).toEqual(integer(5));
    expect(f.sentinel("reset", "x")).toEqual(integer(0));
    expect(f.sentinel("reset", "m\\1*")).toEqual(integer(2));
    expect(f.sentinel("reset", "[^m]*")).toEqual(integer(2));
    expect(f.persisted).toHaveLength(before);
    expect(f.events.filter((e) => e.type === "+reset-master").slice(0, 2).map((e) => e.payload)).toEqual([
      "master m1 127.0.0.1 7000",
      "master m2 127.0.0.1 7001",
    ]);
  });

  it("RESET drops the replicas and sentinels it knew", () => {
    const f = healthyFixture();
    expect(f.sentinel("reset", "mymaster")).toEqual(integer(1));
    const m = Object.fromEntries(pairs(f.sentinel("master", "mymaster")));
    expect(m["num-slaves"]).toBe("0");
    expect(m["num-other-sentinels"]).toBe("0");
    expect(m.runid).toBe("");
  });

  it("FLUSHCONFIG persists now: +OK, or the flush error", () => {
    const f = apiFixture();
    const before = f.persisted.length;
    expect(f.sentinel("flushconfig")).toEqual(OK);
    expect(f.persisted).toHaveLength(before + 1);
    f.setPersistOk(false);
    expect(f.sentinel("flushconfig")).toEqual(FLUSH_FAILED);
  });
});

describe("SENTINEL FAILOVER", () => {
  it("+OK starts a forced failover; a second one is INPROG", () => {
    const f = healthyFixture();
    expect(f.sentinel("failover", "mymaster")).toEqual(OK);
    const m = Object.fromEntries(pairs(f.sentinel("master", "mymaster")));
    expect(m.flags).toBe("master,failover_in_progress,force_failover");
    expect(m["failover-state"]).toBe("wait_start");
    expect(f.events.map((e) => e.type)).toContain("+try-failover");
    expect(f.sentinel("failover", "mymaster")).toEqual(err("INPROG Failover already in progress"));
    expect(resp2(f.sentinel("failover", "mymaster"))).toBe("-INPROG Failover already in progress\r\n");
  });

  it("COORDINATED parses as Valkey 9's: the name first, then the option, then FAILOVER support", () => {
    const f = healthyFixture();
    expect(f.sentinel("failover", "nosuch", "bogus")).toEqual(NO_SUCH);
    expect(f.sentinel("failover", "nosuch", "COORDINATED", "TO")).toEqual(NO_SUCH);
    expect(f.sentinel("failover", "mymaster", "bogus")).toEqual(err("ERR Unknown failover option specified"));
    expect(f.sentinel("failover", "mymaster", "bogus", "x")).toEqual(err("ERR wrong number of arguments for 'sentinel|failover' command"));
    // Vigil's words after COORDINATED (TO <ip> <port>, TIMEOUT <ms>): anything else is an unknown option.
    expect(f.sentinel("failover", "mymaster", "COORDINATED", "bogus")).toEqual(err("ERR Unknown failover option specified"));
    expect(f.events.map((e) => e.type)).not.toContain("+try-failover");
  });

  it("COORDINATED on a master without FAILOVER (Redis < 6.2): Valkey 9's NOGOODPRIMARY, nothing starts", () => {
    const f = apiFixture();
    f.node(MASTER, { role: "master", runId: MASTER_RUN_ID, replicas: [REPLICA], failoverCommand: false });
    f.node(REPLICA, { role: "slave", runId: REPLICA_RUN_ID, master: MASTER });
    f.peer(PEER);
    f.advance(200);
    f.hello();
    f.advance(1500);
    expect(f.sentinel("failover", "mymaster", "coordinated")).toEqual(err("NOGOODPRIMARY Primary does not support FAILOVER command"));
    expect(f.events.map((e) => e.type)).not.toContain("+try-failover");
    // As in Valkey 9, FAILOVER support is checked before INPROG.
    expect(f.sentinel("failover", "mymaster")).toEqual(OK);
    expect(f.sentinel("failover", "mymaster", "coordinated")).toEqual(err("NOGOODPRIMARY Primary does not support FAILOVER command"));
  });

  it("NOGOODSLAVE when no replica is eligible; no such master", () => {
    const f = apiFixture();
    expect(f.sentinel("failover", "mymaster")).toEqual(err("NOGOODSLAVE No suitable replica to promote"));
    expect(f.sentinel("failover", "nosuch")).toEqual(NO_SUCH);
  });
});

describe("SENTINEL CKQUORUM", () => {
  it("OK with the usable count", () => {
    const f = healthyFixture();
    expect(f.sentinel("ckquorum", "mymaster")).toEqual(simple("OK 2 usable Sentinels. Quorum and failover authorization can be reached"));
  });

  it("NOQUORUM for the quorum only", () => {
    const f = healthyFixture();
    f.sentinel("set", "mymaster", "quorum", "3");
    expect(f.sentinel("ckquorum", "mymaster")).toEqual(
      err("NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master"),
    );
  });

  it("NOQUORUM for both when the peer is SDOWN, sentences joined by '. '", () => {
    const f = healthyFixture();
    f.kill(PEER);
    f.advance(6000);
    expect(Object.fromEntries(pairs(items(f.sentinel("sentinels", "mymaster"))[0]!)).flags).toBe("s_down,sentinel");
    expect(f.sentinel("ckquorum", "mymaster")).toEqual(
      err(
        "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover",
      ),
    );
  });

  it("NOQUORUM for the majority only", () => {
    const f = apiFixture({ masters: [{ settings: { name: "m", host: "127.0.0.1", port: 7000, quorum: 1, downAfterMs: 5000 } }] });
    f.node({ host: "127.0.0.1", port: 7000 }, { role: "master" });
    for (let i = 0; i < 2; i++) {
      const id = `${String(i).repeat(40)}`;
      f.hello(id, { host: "127.0.0.1", port: 26390 + i }, 0, "m");
    }
    f.advance(6000);
    expect(f.sentinel("ckquorum", "m")).toEqual(
      err("NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover"),
    );
    expect(f.sentinel("ckquorum", "nosuch")).toEqual(NO_SUCH);
  });
});

describe("SENTINEL IS-MASTER-DOWN-BY-ADDR", () => {
  it("a probe with * returns [down, *, 0]; unknown masters [0, *, 0]", () => {
    const f = healthyFixture();
    expect(resp2(f.sentinel("is-master-down-by-addr", "127.0.0.1", "6379", "0", "*"))).toBe("*3\r\n:0\r\n$1\r\n*\r\n:0\r\n");
    expect(f.sentinel("is-master-down-by-addr", "127.0.0.1", "9999", "0", "*")).toEqual({
      kind: "array",
      items: [integer(0), bulk("*"), integer(0)],
    });
  });

  it("integers are checked: port and epoch", () => {
    const f = apiFixture();
    const notInt = err("ERR value is not an integer or out of range");
    expect(f.sentinel("is-master-down-by-addr", "127.0.0.1", "abc", "0", "*")).toEqual(notInt);
    expect(f.sentinel("is-master-down-by-addr", "127.0.0.1", "6379", "abc", "*")).toEqual(notInt);
    expect(f.sentinel("is-master-down-by-addr", "127.0.0.1", "6379", "9223372036854775808", "*")).toEqual(notInt);
    expect(f.sentinel("is-master-down-by-addr", "127.0.0.1", "99999999", "1", "*")).toEqual({
      kind: "array",
      items: [integer(0), bulk("*"), integer(0)],
    });
  });

  it("a vote request casts the vote and persists it before the reply is built", () => {
    const f = healthyFixture();
    const before = f.persisted.length;
    const reply = f.sentinel("is-master-down-by-addr", "127.1", "6379", "5", PEER_ID);
    expect(resp2(reply)).toBe(`*3\r\n:0\r\n$40\r\n${PEER_ID}\r\n:5\r\n`);
    expect(f.persisted.length).toBeGreaterThan(before);
    expect(f.persisted.at(-1)!.currentEpoch).toBe(5);
    expect(f.persisted.at(-1)!.masters[0]!.leaderEpoch).toBe(5);
    expect(f.events.map((e) => `${e.type} ${e.payload}`)).toEqual(expect.arrayContaining(["+new-epoch 5", `+vote-for-leader ${PEER_ID} 5`]));
    // Same epoch, another candidate: the earlier vote comes back.
    expect(resp2(f.sentinel("is-master-down-by-addr", "127.0.0.1", "6379", "5", MY_ID))).toBe(`*3\r\n:0\r\n$40\r\n${PEER_ID}\r\n:5\r\n`);
  });

  it("answers the vote even when the persist failed", () => {
    const f = healthyFixture();
    f.setPersistOk(false);
    expect(items(f.sentinel("is-master-down-by-addr", "127.0.0.1", "6379", "7", PEER_ID))).toEqual([integer(0), bulk(PEER_ID), integer(7)]);
  });

  it("down is 1 while this sentinel has the master SDOWN", () => {
    const f = healthyFixture();
    f.kill(MASTER);
    f.advance(7000);
    expect(items(f.sentinel("is-master-down-by-addr", "127.0.0.1", "6379", "0", "*"))).toEqual([integer(1), bulk("*"), integer(0)]);
  });
});

describe("SENTINEL SIMULATE-FAILURE / MYID / PENDING-SCRIPTS / INFO-CACHE", () => {
  it("SIMULATE-FAILURE resets then sets flags left to right; help lists them; unknown stops", () => {
    const f = apiFixture();
    expect(f.sentinel("simulate-failure", "CRASH-AFTER-PROMOTION")).toEqual(OK);
    expect(f.engine.simulateFailureFlags).toBe(2);
    expect(f.sentinel("simulate-failure", "crash-after-election", "crash-after-promotion")).toEqual(OK);
    expect(f.engine.simulateFailureFlags).toBe(3);
    expect(f.sentinel("simulate-failure", "crash-after-election", "foo")).toEqual(err("ERR Unknown failure simulation specified"));
    expect(f.engine.simulateFailureFlags).toBe(1);
    expect(resp2(f.sentinel("simulate-failure", "HELP", "crash-after-promotion"))).toBe("*2\r\n$20\r\ncrash-after-election\r\n$21\r\ncrash-after-promotion\r\n");
    expect(f.engine.simulateFailureFlags).toBe(0);
  });

  it("MYID is the 40-character id as a bulk string", () => {
    const f = apiFixture();
    expect(resp2(f.sentinel("myid"))).toBe(`$40\r\n${MY_ID}\r\n`);
  });

  it("PENDING-SCRIPTS: one 5-entry map per job, run-time or run-delay, numbers as bulk strings", () => {
    const f = apiFixture();
    expect(resp2(f.sentinel("pending-scripts"))).toBe("*0\r\n");
    const now = f.now();
    f.setScripts([
      { argv: ["/bin/n.sh", "+sdown", "master mymaster 127.0.0.1 6379"], running: true, pid: 321, startedAt: now - 1500, runAt: 0, retryNum: 1 },
      { argv: ["/bin/n.sh", "+odown", "x"], running: false, pid: 0, startedAt: 0, runAt: now + 30000, retryNum: 2 },
      { argv: ["/bin/n.sh", "-sdown", "y"], running: false, pid: 0, startedAt: 0, runAt: now - 5, retryNum: 0 },
      { argv: ["/bin/n.sh", "+tilt", "z"], running: false, pid: 0, startedAt: 0, runAt: 0, retryNum: 0 },
    ]);
    const jobs = items(f.sentinel("pending-scripts"));
    expect(jobs.map((j) => (j.kind === "map" ? j.entries.map(([k]) => text(k)) : []))).toEqual([
      ["argv", "flags", "pid", "run-time", "retry-num"],
      ["argv", "flags", "pid", "run-delay", "retry-num"],
      ["argv", "flags", "pid", "run-delay", "retry-num"],
      ["argv", "flags", "pid", "run-delay", "retry-num"],
    ]);
    expect(resp2(jobs[0]!)).toBe(
      "*10\r\n$4\r\nargv\r\n*3\r\n$9\r\n/bin/n.sh\r\n$6\r\n+sdown\r\n$30\r\nmaster mymaster 127.0.0.1 6379\r\n$5\r\nflags\r\n$7\r\nrunning\r\n$3\r\npid\r\n$3\r\n321\r\n$8\r\nrun-time\r\n$4\r\n1500\r\n$9\r\nretry-num\r\n$1\r\n1\r\n",
    );
    const delays = jobs.slice(1).map((j) => (j.kind === "map" ? text(j.entries[3]![1]) : ""));
    expect(delays).toEqual(["30000", "0", "0"]);
  });

  it("INFO-CACHE: requested known masters once each, [age, info|null] for the master and each replica", () => {
    const f = healthyFixture();
    f.skip(40);
    const r = items(f.sentinel("info-cache", "nosuch", "mymaster", "mymaster"));
    expect(r).toHaveLength(2);
    expect(r[0]).toEqual(bulk("mymaster"));
    const entries = items(r[1]!);
    expect(entries).toHaveLength(2);
    const [age, info] = items(entries[0]!);
    expect(age).toEqual(integer(f.now() - f.engine.view().master("mymaster")!.infoRefresh));
    expect(text(info!)).toContain("role:master\r\n");
    expect(text(items(entries[1]!)[1]!)).toContain("role:slave\r\n");
    expect(resp2(f.sentinel("info-cache", "nosuch"))).toBe("*0\r\n");
  });

  it("INFO-CACHE: never-refreshed instances show age 0 and a null bulk", () => {
    const f = apiFixture();
    expect(resp2(f.sentinel("info-cache", "mymaster"))).toBe("*2\r\n$8\r\nmymaster\r\n*1\r\n*2\r\n:0\r\n$-1\r\n");
  });
});

describe("effects ordering", () => {
  it("MONITOR's persist happens before any network command the engine asked for in the same output", () => {
    const f = apiFixture();
    f.trace.length = 0;
    f.sentinel("monitor", "m2", "127.0.0.1", "6999", "1");
    expect(f.trace[0]).toBe("persist");
  });

  it("SET auth-pass drops the data links after persisting", () => {
    const f = healthyFixture();
    f.trace.length = 0;
    expect(f.sentinel("set", "mymaster", "auth-pass", "s3cret")).toEqual(OK);
    expect(f.trace.filter((t) => t === "persist")).toHaveLength(1);
    expect(f.trace).toContain("disconnect");
    expect(f.events.at(-1)).toMatchObject({ type: "+set", payload: "master mymaster 127.0.0.1 6379 auth-pass ******" });
  });
});
