import { describe, expect, it } from "vitest";
import { error, OK } from "../src/resp/reply.js";
import { apiFixture, healthyFixture, pairs, resp2, resp3 } from "./api-support.js";

const err = (value: string) => error(value);
const FLUSH_FAILED = err("ERR Failed to save config file. Check server logs.");
const DENIED = err(
  "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration",
);

function masterFields(f: ReturnType<typeof apiFixture>): Record<string, string> {
  return Object.fromEntries(pairs(f.sentinel("master", "mymaster")));
}

describe("SENTINEL SET", () => {
  it("sets every integer option, publishes +set per option and flushes once", () => {
    const f = apiFixture();
    const before = f.persisted.length;
    const reply = f.sentinel(
      "set",
      "mymaster",
      "QUORUM",
      "3",
      "down-after-milliseconds",
      "7000",
      "failover-timeout",
      "90000",
      "parallel-syncs",
      "4",
      "master-reboot-down-after-period",
      "0",
    );
    expect(reply).toEqual(OK);
    expect(f.persisted).toHaveLength(before + 1);
    const m = masterFields(f);
    expect(m).toMatchObject({ quorum: "3", "down-after-milliseconds": "7000", "failover-timeout": "90000", "parallel-syncs": "4" });
    expect(f.events.filter((e) => e.type === "+set").map((e) => e.payload)).toEqual([
      "master mymaster 127.0.0.1 6379 quorum 3",
      "master mymaster 127.0.0.1 6379 down-after-milliseconds 7000",
      "master mymaster 127.0.0.1 6379 failover-timeout 90000",
      "master mymaster 127.0.0.1 6379 parallel-syncs 4",
      "master mymaster 127.0.0.1 6379 master-reboot-down-after-period 0",
    ]);
    const saved = f.persisted.at(-1)!.masters[0]!.settings;
    expect(saved).toMatchObject({ quorum: 3, downAfterMs: 7000, failoverTimeoutMs: 90000, parallelSyncs: 4, masterRebootDownAfterMs: 0 });
  });

  it("rejects bad values with Invalid argument, quoting the value and the option as typed", () => {
    const f = apiFixture();
    const cases: [string, string][] = [
      ["quorum", "0"],
      ["quorum", "abc"],
      ["quorum", "99999999999999999999"],
      ["QUORUM", "+1"],
      ["down-after-milliseconds", "0"],
      ["down-after-milliseconds", "5000ms"],
      ["failover-timeout", "-1"],
      ["parallel-syncs", "0"],
      ["master-reboot-down-after-period", "-1"],
    ];
    for (const [option, value] of cases) {
      expect(f.sentinel("set", "mymaster", option, value)).toEqual(err(`ERR Invalid argument '${value}' for SENTINEL SET '${option}'`));
    }
    expect(f.events.filter((e) => e.type === "+set")).toHaveLength(0);
  });

  it("unknown options and missing values: Unknown option or number of arguments", () => {
    const f = apiFixture();
    expect(f.sentinel("set", "mymaster", "foo", "1")).toEqual(err("ERR Unknown option or number of arguments for SENTINEL SET 'foo'"));
    expect(f.sentinel("set", "mymaster", "rename-command", "config")).toEqual(
      err("ERR Unknown option or number of arguments for SENTINEL SET 'rename-command'"),
    );
    expect(f.sentinel("set", "nosuch", "quorum", "2")).toEqual(err("ERR No such master with that name"));
  });

  it("is left-to-right and not atomic: earlier pairs stay applied and are flushed silently", () => {
    const f = apiFixture();
    const before = f.persisted.length;
    expect(f.sentinel("set", "mymaster", "quorum", "5", "parallel-syncs")).toEqual(
      err("ERR Unknown option or number of arguments for SENTINEL SET 'parallel-syncs'"),
    );
    expect(masterFields(f).quorum).toBe("5");
    expect(f.persisted).toHaveLength(before + 1);
    expect(f.sentinel("set", "mymaster", "quorum", "2", "failover-timeout", "x", "quorum", "4")).toEqual(
      err("ERR Invalid argument 'x' for SENTINEL SET 'failover-timeout'"),
    );
    expect(masterFields(f).quorum).toBe("2");
    // A failing first pair changes nothing and writes nothing.
    const n = f.persisted.length;
    expect(f.sentinel("set", "mymaster", "quorum", "0")).toEqual(err("ERR Invalid argument '0' for SENTINEL SET 'quorum'"));
    expect(f.persisted).toHaveLength(n);
  });

  it("replies the flush error when the write fails", () => {
    const f = apiFixture();
    f.setPersistOk(false);
    expect(f.sentinel("set", "mymaster", "quorum", "3")).toEqual(FLUSH_FAILED);
    expect(masterFields(f).quorum).toBe("3");
  });

  it("stores parallel-syncs in an int and quorum in an unsigned int, as C does", () => {
    const f = apiFixture();
    expect(f.sentinel("set", "mymaster", "quorum", "2147483648", "parallel-syncs", "4294967297")).toEqual(OK);
    expect(masterFields(f)).toMatchObject({ quorum: "2147483648", "parallel-syncs": "1" });
    expect(f.sentinel("set", "mymaster", "quorum", "4294967298")).toEqual(OK);
    expect(masterFields(f).quorum).toBe("2");
    expect(f.sentinel("set", "mymaster", "quorum", "4294967296")).toEqual(err("ERR Invalid argument '4294967296' for SENTINEL SET 'quorum'"));
  });

  it("script paths are refused while deny-scripts-reconfig is yes (the default)", () => {
    const f = apiFixture();
    expect(f.sentinel("set", "mymaster", "notification-script", "/bin/true")).toEqual(DENIED);
    expect(f.sentinel("set", "mymaster", "client-reconfig-script", "")).toEqual(DENIED);
  });

  it("script paths must be executable unless empty (empty clears)", () => {
    const f = apiFixture({ global: { denyScriptsReconfig: false }, executable: (p) => p === "/ok.sh" });
    expect(f.sentinel("set", "mymaster", "notification-script", "/nope.sh")).toEqual(err("ERR Notification script seems non existing or non executable"));
    expect(f.sentinel("set", "mymaster", "client-reconfig-script", "/nope.sh")).toEqual(
      err("ERR Client reconfiguration script seems non existing or non executable"),
    );
    expect(f.sentinel("set", "mymaster", "notification-script", "/ok.sh", "client-reconfig-script", "/ok.sh")).toEqual(OK);
    expect(masterFields(f)).toMatchObject({ "notification-script": "/ok.sh", "client-reconfig-script": "/ok.sh" });
    expect(f.sentinel("set", "mymaster", "notification-script", "")).toEqual(OK);
    expect(masterFields(f)["notification-script"]).toBeUndefined();
  });

  it("auth-pass / auth-user: empty clears, the password is shown as ******, links are dropped", () => {
    const f = healthyFixture();
    expect(f.sentinel("set", "mymaster", "auth-pass", "secret", "auth-user", "u")).toEqual(OK);
    expect(f.persisted.at(-1)!.masters[0]!.settings).toMatchObject({ authPass: "secret", authUser: "u" });
    expect(f.events.slice(-2).map((e) => e.payload)).toEqual([
      "master mymaster 127.0.0.1 6379 auth-pass ******",
      "master mymaster 127.0.0.1 6379 auth-user u",
    ]);
    expect(f.executed.filter((c) => c.kind === "disconnect").length).toBeGreaterThanOrEqual(2);
    expect(f.sentinel("set", "mymaster", "auth-pass", "", "auth-user", "")).toEqual(OK);
    const saved = f.persisted.at(-1)!.masters[0]!.settings;
    expect(saved.authPass).toBeUndefined();
    expect(saved.authUser).toBeUndefined();
  });

  it("rename-command needs two non-empty names; renaming to itself removes the mapping", () => {
    const f = apiFixture();
    for (const pair of [
      ["config", ""],
      ["", "foo"],
      ["", ""],
    ]) {
      expect(f.sentinel("set", "mymaster", "rename-command", ...pair)).toEqual(err("ERR Invalid argument '' for SENTINEL SET 'rename-command'"));
    }
    expect(f.sentinel("set", "mymaster", "rename-command", "CONFIG", "cfg-x")).toEqual(OK);
    expect(f.persisted.at(-1)!.masters[0]!.settings.renamedCommands).toEqual({ CONFIG: "cfg-x" }); // as written, like redis-sentinel
    expect(f.events.at(-1)!.payload).toBe("master mymaster 127.0.0.1 6379 rename-command CONFIG cfg-x");
    expect(f.sentinel("set", "mymaster", "rename-command", "config", "CONFIG")).toEqual(OK);
    expect(f.persisted.at(-1)!.masters[0]!.settings.renamedCommands).toEqual({});
  });

  it("down-after-milliseconds propagates to replica and sentinel records", () => {
    const f = healthyFixture();
    expect(f.sentinel("set", "mymaster", "down-after-milliseconds", "9000")).toEqual(OK);
    expect(resp2(f.sentinel("replicas", "mymaster"))).toContain("$23\r\ndown-after-milliseconds\r\n$4\r\n9000\r\n");
    expect(resp2(f.sentinel("sentinels", "mymaster"))).toContain("$23\r\ndown-after-milliseconds\r\n$4\r\n9000\r\n");
  });
});

describe("SENTINEL CONFIG (dialect 7.0, redis-sentinel 7.0.15)", () => {
  const USAGE = err("ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.");

  it("GET '*' lists the six parameters in Sentinel's order", () => {
    const f = apiFixture();
    expect(pairs(f.sentinel("config", "get", "*"))).toEqual([
      ["resolve-hostnames", "no"],
      ["announce-hostnames", "no"],
      ["announce-ip", ""],
      ["announce-port", "0"],
      ["sentinel-user", ""],
      ["sentinel-pass", ""],
    ]);
    expect(resp3(f.sentinel("config", "get", "announce-port"))).toBe("%1\r\n$13\r\nannounce-port\r\n$1\r\n0\r\n");
    expect(resp2(f.sentinel("config", "get", "announce-port"))).toBe("*2\r\n$13\r\nannounce-port\r\n$1\r\n0\r\n");
  });

  it("GET patterns are case-insensitive globs; no match is an empty map; loglevel is not a 7.0 parameter", () => {
    const f = apiFixture();
    expect(pairs(f.sentinel("config", "get", "ANNOUNCE*")).map(([k]) => k)).toEqual(["announce-hostnames", "announce-ip", "announce-port"]);
    expect(pairs(f.sentinel("config", "GET", "SENTINEL-*")).map(([k]) => k)).toEqual(["sentinel-user", "sentinel-pass"]);
    expect(pairs(f.sentinel("config", "get", "*-[p]or?")).map(([k]) => k)).toEqual(["announce-port"]);
    expect(resp2(f.sentinel("config", "get", "loglevel"))).toBe("*0\r\n");
    expect(resp2(f.sentinel("config", "get", ""))).toBe("*0\r\n");
  });

  it("SET one parameter, flush, +OK; values validated", () => {
    const f = apiFixture();
    const before = f.persisted.length;
    expect(f.sentinel("config", "set", "ANNOUNCE-PORT", "65535")).toEqual(OK);
    expect(f.sentinel("config", "set", "announce-hostnames", "YES")).toEqual(OK);
    expect(f.sentinel("config", "set", "resolve-hostnames", "yes")).toEqual(OK);
    expect(f.sentinel("config", "set", "announce-ip", "10.0.0.1")).toEqual(OK);
    expect(f.sentinel("config", "set", "sentinel-user", "u")).toEqual(OK);
    expect(f.sentinel("config", "set", "sentinel-pass", "p")).toEqual(OK);
    expect(f.persisted).toHaveLength(before + 6);
    expect(pairs(f.sentinel("config", "get", "*"))).toEqual([
      ["resolve-hostnames", "yes"],
      ["announce-hostnames", "yes"],
      ["announce-ip", "10.0.0.1"],
      ["announce-port", "65535"],
      ["sentinel-user", "u"],
      ["sentinel-pass", "p"],
    ]);
    expect(f.persisted.at(-1)!.global).toMatchObject({ announcePort: 65535, announceHostnames: true, sentinelUser: "u", sentinelPass: "p" });
    expect(f.sentinel("config", "set", "sentinel-user", "")).toEqual(OK);
    expect(f.engine.global.sentinelUser).toBeUndefined();
    expect(f.sentinel("config", "set", "announce-ip", "")).toEqual(OK);
    expect(f.engine.global.announceIp).toBe("");
  });

  it("SET errors: invalid name, invalid value (as typed)", () => {
    const f = apiFixture();
    expect(f.sentinel("config", "set", "foo", "bar")).toEqual(err("ERR Invalid argument 'foo' to SENTINEL CONFIG SET"));
    expect(f.sentinel("config", "set", "loglevel", "verbose")).toEqual(err("ERR Invalid argument 'loglevel' to SENTINEL CONFIG SET"));
    expect(f.sentinel("config", "set", "deny-scripts-reconfig", "no")).toEqual(err("ERR Invalid argument 'deny-scripts-reconfig' to SENTINEL CONFIG SET"));
    for (const v of ["abc", "70000", "-1", "+5", "05"]) {
      expect(f.sentinel("config", "set", "Announce-Port", v)).toEqual(err(`ERR Invalid value '${v}' to SENTINEL CONFIG SET 'Announce-Port'`));
    }
    expect(f.sentinel("config", "set", "resolve-hostnames", "maybe")).toEqual(err("ERR Invalid value 'maybe' to SENTINEL CONFIG SET 'resolve-hostnames'"));
  });

  it("anything but one GET pattern or one SET pair is the usage error", () => {
    const f = apiFixture();
    expect(f.sentinel("config", "foo")).toEqual(USAGE);
    expect(f.sentinel("config", "get")).toEqual(USAGE);
    expect(f.sentinel("config", "get", "a", "b")).toEqual(USAGE);
    expect(f.sentinel("config", "set", "announce-port")).toEqual(USAGE);
    expect(f.sentinel("config", "set", "announce-port", "1", "announce-ip", "x")).toEqual(USAGE);
  });

  it("SET replies the flush error on a failed write; changing peer credentials drops peer links", () => {
    const f = healthyFixture();
    const disconnects = () => f.executed.filter((c) => c.kind === "disconnect" && c.addr.port === 26380).length;
    const before = disconnects();
    expect(f.sentinel("config", "set", "sentinel-pass", "p")).toEqual(OK);
    expect(disconnects()).toBe(before + 1);
    f.setPersistOk(false);
    expect(f.sentinel("config", "set", "announce-port", "1")).toEqual(FLUSH_FAILED);
  });
});

describe("SENTINEL CONFIG (dialect redis-7.2, §17.1.2)", () => {
  const USAGE = err("ERR Only SENTINEL CONFIG GET <param> [<param> <param> ...]/ SET <param> <value> [<param> <value> ...] are supported.");

  it("GET takes several patterns, reports each parameter once, includes loglevel", () => {
    const f = apiFixture({ dialect: "redis-7.2" });
    expect(pairs(f.sentinel("config", "get", "loglevel", "announce-*", "*port", "loglevel"))).toEqual([
      ["loglevel", "notice"],
      ["announce-hostnames", "no"],
      ["announce-ip", ""],
      ["announce-port", "0"],
    ]);
  });

  it("SET validates every pair before applying any, then flushes once", () => {
    const f = apiFixture({ dialect: "redis-7.2" });
    const before = f.persisted.length;
    expect(f.sentinel("config", "set", "announce-port", "1", "foo", "x")).toEqual(err("ERR Invalid argument 'foo' to SENTINEL CONFIG SET"));
    expect(f.sentinel("config", "set", "announce-port", "1", "ANNOUNCE-PORT", "2")).toEqual(
      err("ERR Duplicate argument 'ANNOUNCE-PORT' to SENTINEL CONFIG SET"),
    );
    expect(f.sentinel("config", "set", "announce-port", "1", "announce-ip")).toEqual(err("ERR Missing argument 'announce-ip' value"));
    expect(f.sentinel("config", "set", "announce-port", "1", "loglevel", "loud")).toEqual(
      err("ERR Invalid value 'loud' to SENTINEL CONFIG SET 'loglevel'"),
    );
    expect(f.engine.global.announcePort).toBe(0);
    expect(f.persisted).toHaveLength(before);
    expect(f.sentinel("config", "set", "announce-port", "1", "loglevel", "WARNING", "announce-ip", "10.1.1.1")).toEqual(OK);
    expect(f.persisted).toHaveLength(before + 1);
    expect(f.engine.global).toMatchObject({ announcePort: 1, loglevel: "warning", announceIp: "10.1.1.1" });
    expect(f.loglevel()).toBe("warning");
  });

  it("uses 7.2's usage text and arity -4", () => {
    const f = apiFixture({ dialect: "redis-7.2" });
    expect(f.sentinel("config", "foo", "bar")).toEqual(USAGE);
    expect(f.sentinel("config", "get")).toEqual(err("ERR wrong number of arguments for 'sentinel|config' command"));
    expect(f.api.subcommands.find((s) => s.name === "config")?.arity).toBe(-4);
  });

  it("valkey-8 takes the same arguments; its usage text has a space before the slash", () => {
    const f = apiFixture({ dialect: "valkey-8" });
    expect(f.sentinel("config", "foo", "bar")).toEqual(
      err("ERR Only SENTINEL CONFIG GET <param> [<param> <param> ...] / SET <param> <value> [<param> <value> ...] are supported."),
    );
    expect(pairs(f.sentinel("config", "get", "loglevel", "announce-port"))).toEqual([
      ["loglevel", "notice"],
      ["announce-port", "0"],
    ]);
  });
});

describe("SENTINEL DEBUG", () => {
  const KEYS = [
    "INFO-PERIOD",
    "PING-PERIOD",
    "ASK-PERIOD",
    "PUBLISH-PERIOD",
    "DEFAULT-DOWN-AFTER",
    "DEFAULT-FAILOVER-TIMEOUT",
    "TILT-TRIGGER",
    "TILT-PERIOD",
    "SLAVE-RECONF-TIMEOUT",
    "MIN-LINK-RECONNECT-PERIOD",
    "ELECTION-TIMEOUT",
    "SCRIPT-MAX-RUNTIME",
    "SCRIPT-RETRY-DELAY",
  ];

  it("without arguments: the 13 periods in Sentinel's order, values as bulk strings", () => {
    const f = apiFixture();
    expect(pairs(f.sentinel("debug"))).toEqual(
      KEYS.map((k, i) => [k, ["10000", "1000", "1000", "2000", "30000", "180000", "2000", "30000", "10000", "15000", "10000", "60000", "30000"][i]!]),
    );
    expect(resp3(f.sentinel("debug")).startsWith("%13\r\n$11\r\nINFO-PERIOD\r\n$5\r\n10000\r\n")).toBe(true);
  });

  it("sets values (names case-insensitive); errors stop with earlier pairs applied; not persisted", () => {
    const f = apiFixture();
    const before = f.persisted.length;
    expect(f.sentinel("debug", "info-period", "20000", "PING-PERIOD", "500")).toEqual(OK);
    expect(f.engine.timing).toMatchObject({ infoPeriod: 20000, pingPeriod: 500 });
    expect(f.sentinel("debug", "ask-period", "2000", "tilt-period", "-5")).toEqual(err("ERR Invalid argument '-5' for SENTINEL DEBUG 'tilt-period'"));
    expect(f.engine.timing.askPeriod).toBe(2000);
    expect(f.sentinel("debug", "info-period", "0")).toEqual(err("ERR Invalid argument '0' for SENTINEL DEBUG 'info-period'"));
    expect(f.sentinel("debug", "info-period", "abc")).toEqual(err("ERR Invalid argument 'abc' for SENTINEL DEBUG 'info-period'"));
    expect(f.sentinel("debug", "foo")).toEqual(err("ERR Unknown option or number of arguments for SENTINEL DEBUG 'foo'"));
    expect(f.sentinel("debug", "INFO-PERIOD", "10000", "publish-period")).toEqual(
      err("ERR Unknown option or number of arguments for SENTINEL DEBUG 'publish-period'"),
    );
    expect(f.engine.timing.infoPeriod).toBe(10000);
    expect(pairs(f.sentinel("debug"))[0]).toEqual(["INFO-PERIOD", "10000"]);
    expect(f.persisted).toHaveLength(before);
    for (const [i, key] of KEYS.entries()) {
      expect(f.sentinel("debug", key.toLowerCase(), String(1000 + i))).toEqual(OK);
    }
    expect(pairs(f.sentinel("debug")).map(([, v]) => v)).toEqual(KEYS.map((_, i) => String(1000 + i)));
  });
});
