import { describe, expect, it } from "vitest";
import { NULL_ARRAY } from "../src/resp/reply.js";
import {
  apiFixture,
  flat,
  healthyFixture,
  items,
  MASTER,
  MASTER_RUN_ID,
  PEER,
  PEER_ID,
  pairs,
  REPLICA,
  REPLICA_RUN_ID,
  resp2,
  resp3,
  text,
} from "./api-support.js";

const MASTER_KEYS = [
  "name",
  "ip",
  "port",
  "runid",
  "flags",
  "link-pending-commands",
  "link-refcount",
  "last-ping-sent",
  "last-ok-ping-reply",
  "last-ping-reply",
  "down-after-milliseconds",
  "info-refresh",
  "role-reported",
  "role-reported-time",
  "config-epoch",
  "num-slaves",
  "num-other-sentinels",
  "quorum",
  "failover-timeout",
  "parallel-syncs",
];

describe("SENTINEL MASTER / MASTERS", () => {
  it("a healthy master has exactly 20 pairs in Sentinel's order, num-other-sentinels at flat index 33", () => {
    const f = healthyFixture();
    const reply = f.sentinel("master", "mymaster");
    const p = pairs(reply);
    expect(p.map(([k]) => k)).toEqual(MASTER_KEYS);
    expect(p).toHaveLength(20);
    const fl = flat(reply);
    expect(fl[32]).toBe("num-other-sentinels");
    expect(fl[33]).toBe("1");
    expect(Object.fromEntries(p)).toMatchObject({
      name: "mymaster",
      ip: "127.0.0.1",
      port: "6379",
      runid: MASTER_RUN_ID,
      flags: "master",
      "link-pending-commands": "0",
      "link-refcount": "1",
      "last-ping-sent": "0",
      "down-after-milliseconds": "5000",
      "role-reported": "master",
      "config-epoch": "0",
      "num-slaves": "1",
      quorum: "2",
      "failover-timeout": "180000",
      "parallel-syncs": "1",
    });
  });

  it("times are ms since the event, measured at the command's now", () => {
    const f = healthyFixture();
    const before = Object.fromEntries(pairs(f.sentinel("master", "mymaster")));
    f.skip(250);
    const after = Object.fromEntries(pairs(f.sentinel("master", "mymaster")));
    for (const k of ["last-ok-ping-reply", "last-ping-reply", "info-refresh", "role-reported-time"]) {
      expect(Number(after[k]) - Number(before[k])).toBe(250);
    }
    expect(after["last-ping-sent"]).toBe("0");
  });

  it("is a map in RESP3 and a flat array of bulk strings in RESP2", () => {
    const f = healthyFixture();
    const reply = f.sentinel("master", "mymaster");
    expect(resp2(reply).startsWith("*40\r\n$4\r\nname\r\n$8\r\nmymaster\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nport\r\n$4\r\n6379\r\n")).toBe(true);
    expect(resp3(reply).startsWith("%20\r\n$4\r\nname\r\n$8\r\nmymaster\r\n")).toBe(true);
  });

  it("a fresh unreachable master: empty runid, master,disconnected, info-refresh 0", () => {
    const f = apiFixture();
    f.skip(4);
    const m = Object.fromEntries(pairs(f.sentinel("master", "mymaster")));
    expect(m).toMatchObject({
      runid: "",
      flags: "master,disconnected",
      "info-refresh": "0",
      "last-ping-sent": "4",
      "last-ok-ping-reply": "4",
      "last-ping-reply": "4",
      "role-reported-time": "4",
      "num-slaves": "0",
      "num-other-sentinels": "0",
    });
  });

  it("adds notification-script and client-reconfig-script at the end when set", () => {
    const f = apiFixture({ global: { denyScriptsReconfig: false } });
    expect(f.sentinel("set", "mymaster", "notification-script", "/bin/n.sh", "client-reconfig-script", "/bin/c.sh")).toEqual({
      kind: "simple",
      value: "OK",
    });
    const p = pairs(f.sentinel("master", "mymaster"));
    expect(p.slice(-2)).toEqual([
      ["notification-script", "/bin/n.sh"],
      ["client-reconfig-script", "/bin/c.sh"],
    ]);
  });

  it("SDOWN, ODOWN and a running failover insert s-down-time, o-down-time and failover-state at their places", () => {
    const f = healthyFixture();
    f.peer(PEER, ["mymaster"]);
    f.kill(MASTER);
    f.advance(6000);
    const p = pairs(f.sentinel("master", "mymaster"));
    const keys = p.map(([k]) => k);
    const m = Object.fromEntries(p);
    // The master hangs (links stay up, PINGs go unanswered), like a SIGSTOPped Redis.
    expect(m.flags).toBe("s_down,o_down,master,failover_in_progress");
    expect(keys.slice(0, 13)).toEqual([
      "name",
      "ip",
      "port",
      "runid",
      "flags",
      "link-pending-commands",
      "link-refcount",
      "failover-state",
      "last-ping-sent",
      "last-ok-ping-reply",
      "last-ping-reply",
      "s-down-time",
      "o-down-time",
    ]);
    expect(keys[13]).toBe("down-after-milliseconds");
    expect(m["failover-state"]).toMatch(/^(wait_start|select_slave|send_slaveof_noone|wait_promotion)$/);
    expect(Number(m["s-down-time"])).toBeGreaterThanOrEqual(Number(m["o-down-time"]));
    // INFO's sentinel section agrees.
    expect(text(f.api.info(["INFO", "sentinel"]))).toContain("master0:name=mymaster,status=odown,address=127.0.0.1:6379,slaves=1,sentinels=2\r\n");
  });

  it("MASTERS lists every master in insertion order; unknown MASTER is an error", () => {
    const f = apiFixture({
      masters: [
        { settings: { name: "b", host: "127.0.0.1", port: 7001, quorum: 1 } },
        { settings: { name: "a", host: "127.0.0.1", port: 7002, quorum: 1 } },
      ],
    });
    expect(items(f.sentinel("masters")).map((r) => pairs(r)[0])).toEqual([
      ["name", "b"],
      ["name", "a"],
    ]);
    expect(f.sentinel("master", "nosuch")).toEqual({ kind: "error", value: "ERR No such master with that name" });
    expect(f.sentinel("master", "B")).toEqual({ kind: "error", value: "ERR No such master with that name" });
  });
});

describe("SENTINEL REPLICAS / SLAVES / SENTINELS", () => {
  it("replica maps: common prefix, info fields, then the replica fields", () => {
    const f = healthyFixture();
    const list = items(f.sentinel("replicas", "mymaster"));
    expect(list).toHaveLength(1);
    const p = pairs(list[0]!);
    expect(p.map(([k]) => k)).toEqual([
      "name",
      "ip",
      "port",
      "runid",
      "flags",
      "link-pending-commands",
      "link-refcount",
      "last-ping-sent",
      "last-ok-ping-reply",
      "last-ping-reply",
      "down-after-milliseconds",
      "info-refresh",
      "role-reported",
      "role-reported-time",
      "master-link-down-time",
      "master-link-status",
      "master-host",
      "master-port",
      "slave-priority",
      "slave-repl-offset",
      "replica-announced",
    ]);
    expect(Object.fromEntries(p)).toMatchObject({
      name: "127.0.0.1:6380",
      port: "6380",
      runid: REPLICA_RUN_ID,
      flags: "slave",
      "down-after-milliseconds": "5000",
      "role-reported": "slave",
      "master-link-down-time": "0",
      "master-link-status": "ok",
      "master-host": "127.0.0.1",
      "master-port": "6379",
      "slave-priority": "100",
      "slave-repl-offset": "1997",
      "replica-announced": "1",
    });
    expect(f.sentinel("slaves", "mymaster")).toEqual(f.sentinel("replicas", "mymaster"));
  });

  it("a replica never heard from: runid empty, master-host ?, status err, port 0", () => {
    const f = apiFixture();
    f.node(MASTER, { role: "master", replicas: [REPLICA] });
    f.advance(300);
    const r = Object.fromEntries(pairs(items(f.sentinel("replicas", "mymaster"))[0]!));
    expect(r).toMatchObject({
      runid: "",
      flags: "slave,disconnected",
      "info-refresh": "0",
      "master-link-status": "err",
      "master-host": "?",
      "master-port": "0",
      "replica-announced": "1",
    });
  });

  it("leaves unannounced replicas out of REPLICAS but counts them in num-slaves", () => {
    const f = healthyFixture();
    f.nodes.get("127.0.0.1:6380")!.announced = false;
    f.advance(11_000);
    expect(items(f.sentinel("replicas", "mymaster"))).toHaveLength(0);
    expect(Object.fromEntries(pairs(f.sentinel("master", "mymaster")))["num-slaves"]).toBe("1");
  });

  it("sentinel maps end with last-hello-message, voted-leader, voted-leader-epoch", () => {
    const f = healthyFixture();
    const p = pairs(items(f.sentinel("sentinels", "mymaster"))[0]!);
    expect(p.map(([k]) => k)).toEqual([
      "name",
      "ip",
      "port",
      "runid",
      "flags",
      "link-pending-commands",
      "link-refcount",
      "last-ping-sent",
      "last-ok-ping-reply",
      "last-ping-reply",
      "down-after-milliseconds",
      "last-hello-message",
      "voted-leader",
      "voted-leader-epoch",
    ]);
    expect(Object.fromEntries(p)).toMatchObject({
      name: PEER_ID,
      ip: PEER.host,
      port: String(PEER.port),
      runid: PEER_ID,
      flags: "sentinel",
      "voted-leader": "?",
      "voted-leader-epoch": "0",
    });
  });

  it("unknown master names are errors for REPLICAS, SLAVES and SENTINELS", () => {
    const f = apiFixture();
    for (const sub of ["replicas", "slaves", "sentinels"]) {
      expect(f.sentinel(sub, "nosuch")).toEqual({ kind: "error", value: "ERR No such master with that name" });
    }
  });
});

describe("SENTINEL GET-MASTER-ADDR-BY-NAME", () => {
  it("answers [ip, port] as bulk strings", () => {
    const f = apiFixture();
    expect(resp2(f.sentinel("get-master-addr-by-name", "mymaster"))).toBe("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n");
  });

  it("answers a null array for an unknown name (*-1 in RESP2, _ in RESP3)", () => {
    const f = apiFixture();
    const r = f.sentinel("get-master-addr-by-name", "nosuch");
    expect(r).toBe(NULL_ARRAY);
    expect(resp2(r)).toBe("*-1\r\n");
    expect(resp3(r)).toBe("_\r\n");
  });

  it("reports the promoted replica from RECONF_SLAVES on while MASTER still shows the old address", () => {
    const f = healthyFixture();
    expect(text(f.sentinel("failover", "mymaster"))).toBe("OK");
    for (let i = 0; i < 50 && f.engine.view().master("mymaster")!.failover.state !== "wait_promotion"; i++) f.advance(100);
    expect(f.engine.view().master("mymaster")!.failover.state).toBe("wait_promotion");
    // SLAVEOF NO ONE was sent: the replica now reports role:master.
    f.nodes.set("127.0.0.1:6380", { ...f.nodes.get("127.0.0.1:6380")!, role: "master", replicas: [] });
    for (let i = 0; i < 400 && f.engine.view().master("mymaster")!.failover.state !== "reconf_slaves"; i++) f.advance(100);
    expect(f.engine.view().master("mymaster")!.failover.state).toBe("reconf_slaves");
    expect(resp2(f.sentinel("get-master-addr-by-name", "mymaster"))).toBe("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n");
    expect(Object.fromEntries(pairs(f.sentinel("master", "mymaster"))).port).toBe("6379");
  });
});

describe("instance names and addresses", () => {
  it("IPv6 replicas are named [ip]:port", () => {
    const f = apiFixture({ masters: [{ settings: { name: "v6", host: "::1", port: 7000, quorum: 1 } }] });
    f.node({ host: "::1", port: 7000 }, { role: "master", replicas: [{ host: "::1", port: 7001 }] });
    f.advance(300);
    const r = Object.fromEntries(pairs(items(f.sentinel("replicas", "v6"))[0]!));
    expect(r.name).toBe("[::1]:7001");
    expect(r.ip).toBe("::1");
    expect(resp2(f.sentinel("get-master-addr-by-name", "v6"))).toBe("*2\r\n$3\r\n::1\r\n$4\r\n7000\r\n");
  });

  it("the replica record uses its master's down-after-milliseconds", () => {
    const f = healthyFixture();
    f.sentinel("set", "mymaster", "down-after-milliseconds", "12345");
    expect(Object.fromEntries(pairs(items(f.sentinel("replicas", "mymaster"))[0]!))["down-after-milliseconds"]).toBe("12345");
    expect(Object.fromEntries(pairs(items(f.sentinel("sentinels", "mymaster"))[0]!))["down-after-milliseconds"]).toBe("12345");
  });

  it("keeps replica records in order as the master reports them", () => {
    const f = apiFixture();
    f.node(MASTER, { role: "master", replicas: [REPLICA, { host: "127.0.0.1", port: 6381 }] });
    f.advance(300);
    expect(items(f.sentinel("replicas", "mymaster")).map((r) => pairs(r)[0]![1])).toEqual(["127.0.0.1:6380", "127.0.0.1:6381"]);
  });
});
