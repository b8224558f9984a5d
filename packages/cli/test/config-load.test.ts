import { describe, expect, it } from "vitest";
import { formatConfigError } from "../src/config/config-error.js";
import { type LoadOptions, type LoadResult, loadConfig } from "../src/config/load-config.js";

const RUNID_A = "a".repeat(40);
const RUNID_B = "b".repeat(40);
const MONITOR = "sentinel monitor mymaster 127.0.0.1 6379 2";

function load(text: string, overrides?: string[][], options?: LoadOptions): LoadResult {
  return loadConfig(text, "/etc/sentinel.conf", overrides, options);
}

function ok(text: string, overrides?: string[][], options?: LoadOptions) {
  const r = load(text, overrides, options);
  if (!r.ok) throw new Error(formatConfigError(r.error));
  return r.config;
}

/** Expect a failure at `line` (1-based) with Redis's exact `message`. */
function fails(lines: string[], line: number, message: string, options?: LoadOptions): void {
  const r = load(lines.join("\n"), undefined, options);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error).toEqual({ path: "/etc/sentinel.conf", line, lineText: lines[line - 1]!.trim(), message });
}

describe("loadConfig: sentinel directives", () => {
  it("reads a complete file into engine shapes with Sentinel's defaults", () => {
    const c = ok(
      [
        "# comment",
        "port 26380",
        `sentinel myid ${RUNID_A}`,
        MONITOR,
        "sentinel down-after-milliseconds mymaster 5000",
        "sentinel failover-timeout mymaster 60000",
        "sentinel parallel-syncs mymaster 2",
        "sentinel auth-pass mymaster \"p w\"",
        "sentinel auth-user mymaster admin",
        "sentinel master-reboot-down-after-period mymaster 1000",
        "sentinel rename-command mymaster CONFIG xconfig",
        "sentinel config-epoch mymaster 3",
        "sentinel leader-epoch mymaster 4",
        "sentinel known-replica mymaster 127.0.0.1 6380",
        "sentinel known-slave mymaster 127.0.0.1 6381",
        `sentinel known-sentinel mymaster 127.0.0.1 26381 ${RUNID_B}`,
        "sentinel known-sentinel mymaster 127.0.0.1 26382",
        "sentinel current-epoch 2",
        "sentinel monitor other 10.0.0.1 7000 1",
        "sentinel announce-ip 10.1.1.1",
        "sentinel announce-port 30000",
        "sentinel deny-scripts-reconfig no",
        "sentinel sentinel-user su",
        "sentinel sentinel-pass sp",
        "requirepass secret",
        "loglevel WARNING",
      ].join("\n"),
    );
    expect(c.myId).toBe(RUNID_A);
    // config-epoch raises current-epoch past the explicit (lower) value.
    expect(c.currentEpoch).toBe(3);
    expect(c.masters).toHaveLength(2);
    const m = c.masters[0]!;
    expect(m.settings).toEqual({
      name: "mymaster",
      host: "127.0.0.1",
      port: 6379,
      quorum: 2,
      downAfterMs: 5000,
      failoverTimeoutMs: 60000,
      parallelSyncs: 2,
      authPass: "p w",
      authUser: "admin",
      masterRebootDownAfterMs: 1000,
      crashDownAfterMs: 0,
      fenceWrites: false,
      fenceStaleMaster: true,
      fenceMaxLagS: 1,
      renamedCommands: { CONFIG: "xconfig" },
    });
    expect(m.configEpoch).toBe(3);
    expect(m.leaderEpoch).toBe(4);
    expect(m.knownReplicas).toEqual([
      { host: "127.0.0.1", port: 6380 },
      { host: "127.0.0.1", port: 6381 },
    ]);
    // The runid-less legacy known-sentinel line is ignored.
    expect(m.knownSentinels).toEqual([{ host: "127.0.0.1", port: 26381, runId: RUNID_B }]);
    expect(c.masters[1]!.settings).toMatchObject({ name: "other", downAfterMs: 30000, failoverTimeoutMs: 180000, parallelSyncs: 1 });
    expect(c.global).toEqual({
      announceIp: "10.1.1.1",
      announcePort: 30000,
      port: 26380,
      resolveHostnames: false,
      announceHostnames: false,
      denyScriptsReconfig: false,
      sentinelUser: "su",
      sentinelPass: "sp",
      requirePass: "secret",
      loglevel: "warning",
    });
  });

  it("applies three passes: order in the file does not matter", () => {
    const c = ok(
      [
        "sentinel down-after-milliseconds mymaster 5000",
        "sentinel known-replica mymaster 127.0.0.1 6380",
        "sentinel config-epoch mymaster 9",
        // resolve-hostnames comes after the monitor that needs it.
        "sentinel monitor mymaster redis.example 6379 2",
        "sentinel resolve-hostnames yes",
        "sentinel current-epoch 4",
      ].join("\n"),
    );
    expect(c.masters[0]!.settings).toMatchObject({ host: "redis.example", downAfterMs: 5000 });
    expect(c.masters[0]!.knownReplicas).toEqual([{ host: "127.0.0.1", port: 6380 }]);
    expect(c.currentEpoch).toBe(9);
    expect(c.global.resolveHostnames).toBe(true);
  });

  it("reports the first error in pass order, not file order", () => {
    // Line 1 (pass 3) is bad and so is line 3 (pass 1): Redis reports line 3.
    fails(["sentinel down-after-milliseconds nosuch 5000", MONITOR, "sentinel myid short"], 3, "Malformed Sentinel id in myid option.");
    // Generic errors come before any sentinel pass (sentinel lines are only queued while reading).
    fails(["sentinel myid short", "port abc"], 2, "argument couldn't be parsed into an integer");
  });

  it("mimics C number parsing (atoi / strtoull)", () => {
    const c = ok([MONITOR, "sentinel down-after-milliseconds mymaster 5000ms", "sentinel current-epoch abc"].join("\n"));
    expect(c.masters[0]!.settings.downAfterMs).toBe(5000);
    expect(c.currentEpoch).toBe(0);
  });

  it("accepts IPv4 short forms like getaddrinfo, storing the canonical address", () => {
    const c = ok("sentinel monitor m 127.1 6379 1\nsentinel known-replica m ::1 6380");
    expect(c.masters[0]!.settings.host).toBe("127.0.0.1");
    expect(c.masters[0]!.knownReplicas).toEqual([{ host: "::1", port: 6380 }]);
  });

  it("empty announce-ip / sentinel-user mean unset", () => {
    const c = ok('sentinel announce-ip ""\nsentinel sentinel-user ""\nsentinel sentinel-pass ""');
    expect(c.global.announceIp).toBeUndefined();
    expect(c.global.sentinelUser).toBeUndefined();
    expect(c.global.sentinelPass).toBeUndefined();
  });

  it("checks scripts with the injected isExecutable", () => {
    const seen: string[] = [];
    const isExecutable = (p: string): boolean => {
      seen.push(p);
      return p === "/bin/notify";
    };
    const c = ok([MONITOR, "sentinel notification-script mymaster /bin/notify"].join("\n"), undefined, { isExecutable });
    expect(c.masters[0]!.settings.notificationScript).toBe("/bin/notify");
    expect(seen).toEqual(["/bin/notify"]);
  });

  describe("every §19.2 error message, with its line number", () => {
    const never = { isExecutable: () => false };
    const cases: Array<[string, string[], number, string, LoadOptions?]> = [
      ["monitor quorum", ["port 26379", "sentinel monitor m 127.0.0.1 6379 0"], 2, "Quorum must be 1 or greater."],
      ["monitor duplicate", [MONITOR, "", MONITOR], 3, "Duplicate master name."],
      ["monitor hostname", ["sentinel monitor m redis.example 6379 2"], 1, "Can't resolve instance hostname."],
      ["monitor port", ["sentinel monitor m 127.0.0.1 70000 2"], 1, "Invalid port number."],
      ["monitor port before host", ["sentinel monitor m redis.example 70000 2"], 1, "Invalid port number."],
      ["down-after unknown master", [MONITOR, "sentinel down-after-milliseconds x 10"], 2, "No such master with specified name."],
      ["down-after zero", [MONITOR, "sentinel down-after-milliseconds mymaster 0"], 2, "negative or zero time parameter."],
      ["failover-timeout negative", [MONITOR, "sentinel failover-timeout mymaster -5"], 2, "negative or zero time parameter."],
      ["failover-timeout unknown", ["sentinel failover-timeout x 5"], 1, "No such master with specified name."],
      ["parallel-syncs unknown", ["sentinel parallel-syncs x 5"], 1, "No such master with specified name."],
      [
        "notification-script",
        [MONITOR, "sentinel notification-script mymaster /nope"],
        2,
        "Notification script seems non existing or non executable.",
        never,
      ],
      [
        "client-reconfig-script",
        [MONITOR, "sentinel client-reconfig-script mymaster /nope"],
        2,
        "Client reconfiguration script seems non existing or non executable.",
        never,
      ],
      ["auth-pass unknown", ["sentinel auth-pass x y"], 1, "No such master with specified name."],
      ["auth-user unknown", ["sentinel auth-user x y"], 1, "No such master with specified name."],
      ["master-reboot negative", [MONITOR, "sentinel master-reboot-down-after-period mymaster -1"], 2, "negative time parameter."],
      [
        "rename-command twice (case-insensitive)",
        [MONITOR, "sentinel rename-command mymaster config a", "sentinel rename-command mymaster CONFIG b"],
        3,
        "Same command renamed multiple times with rename-command.",
      ],
      ["config-epoch unknown", ["sentinel config-epoch x 1"], 1, "No such master with specified name."],
      ["leader-epoch unknown", ["sentinel leader-epoch x 1"], 1, "No such master with specified name."],
      [
        "known-replica duplicate via known-slave alias",
        [MONITOR, "sentinel known-replica mymaster 127.0.0.1 6380", "sentinel known-slave mymaster 127.0.0.1 6380"],
        3,
        "Duplicate hostname and port for replica.",
      ],
      ["known-replica port", [MONITOR, "sentinel known-replica mymaster 127.0.0.1 99999"], 2, "Invalid port number."],
      ["known-replica host", [MONITOR, "sentinel known-replica mymaster replica.example 6380"], 2, "Can't resolve instance hostname."],
      [
        "known-sentinel duplicate runid",
        [MONITOR, `sentinel known-sentinel mymaster 127.0.0.1 26380 ${RUNID_B}`, `sentinel known-sentinel mymaster 127.0.0.2 26381 ${RUNID_B}`],
        3,
        "Duplicate runid for sentinel.",
      ],
      ["known-sentinel unknown master", [`sentinel known-sentinel x 127.0.0.1 26380 ${RUNID_B}`], 1, "No such master with specified name."],
      ["myid length", ["port 1", "", "sentinel myid abc"], 3, "Malformed Sentinel id in myid option."],
      ["deny-scripts-reconfig", ["sentinel deny-scripts-reconfig maybe"], 1, "Please specify yes or no for the deny-scripts-reconfig options."],
      ["resolve-hostnames", ["sentinel resolve-hostnames 1"], 1, "Please specify yes or no for the resolve-hostnames option."],
      ["announce-hostnames", ["sentinel announce-hostnames x"], 1, "Please specify yes or no for the announce-hostnames option."],
      ["unknown sub-directive", ["sentinel foo bar"], 1, "Unrecognized sentinel configuration statement."],
      ["wrong argument count", [MONITOR, "sentinel current-epoch 5 6"], 2, "Unrecognized sentinel configuration statement."],
      ["monitor without args", ["sentinel monitor"], 1, "Unrecognized sentinel configuration statement."],
    ];
    for (const [name, lines, line, message, options] of cases) {
      it(name, () => fails(lines, line, message, options));
    }
  });
});

describe("loadConfig: generic directives", () => {
  it("reads the typed generic directives", () => {
    const c = ok(
      [
        "port 26390",
        "bind 127.0.0.1 ::1",
        "dir /var/lib/vigil",
        'logfile ""',
        "loglevel verbose",
        "daemonize yes",
        "pidfile /run/vigil.pid",
        "protected-mode no",
        "requirepass pw",
        "user default on nopass ~* &* +@all",
        "user alice on >pw +@all",
        "aclfile /etc/users.acl",
        "tls-port 26391",
        "tls-cert-file /c.pem",
        "tls-key-file /k.pem",
        "tls-ca-cert-file /ca.pem",
        "tls-replication yes",
        "tls-auth-clients optional",
        "bind-source-addr 10.0.0.9",
        "maxclients 100",
        "timeout 60",
        "tcp-keepalive 30",
        "hz 1000",
        "unixsocket /tmp/v.sock",
        "unixsocketperm 700",
        "SLAVEOF 10.0.0.1 6379",
        "enable-debug-command local",
        "latency-tracking-info-percentiles 50 99 99.9",
        "list-max-ziplist-entries 5",
        "my.module-config 1",
        "rename-command FLUSHALL x",
      ].join("\n"),
    );
    expect(c.generic).toMatchObject({
      port: 26390,
      bind: ["127.0.0.1", "::1"],
      dir: "/var/lib/vigil",
      logfile: "",
      loglevel: "verbose",
      daemonize: true,
      pidfile: "/run/vigil.pid",
      protectedMode: false,
      requirepass: "pw",
      users: [
        ["default", "on", "nopass", "~*", "&*", "+@all"],
        ["alice", "on", ">pw", "+@all"],
      ],
      aclfile: "/etc/users.acl",
      tlsPort: 26391,
      tlsCertFile: "/c.pem",
      tlsKeyFile: "/k.pem",
      tlsCaCertFile: "/ca.pem",
      tlsReplication: true,
      tlsAuthClients: "optional",
      bindSourceAddr: "10.0.0.9",
      maxclients: 100,
      timeout: 60,
      tcpKeepalive: 30,
      hz: 500,
      unixsocket: "/tmp/v.sock",
      unixsocketperm: 0o700,
    });
    expect(c.generic.passthrough.map((d) => d.args[0])).toEqual([
      "slaveof",
      "enable-debug-command",
      "latency-tracking-info-percentiles",
      "list-max-ziplist-entries",
      "my.module-config",
      "rename-command",
    ]);
    expect(c.generic.passthrough[0]).toEqual({ line: 26, args: ["slaveof", "10.0.0.1", "6379"] });
    expect(c.global.port).toBe(26390);
    expect(c.global.requirePass).toBe("pw");
  });

  it("collects vigil-* extensions", () => {
    const c = ok("vigil-timing SENTINEL\nvigil-http 127.0.0.1:9479\nvigil-log-format json");
    expect(c.vigil).toEqual({ timing: "sentinel", http: "127.0.0.1:9479", "log-format": "json" });
  });

  const generic: Array<[string, string, string]> = [
    ["unknown directive", "foo-unknown bar", "Bad directive or wrong number of arguments"],
    ["unknown vigil directive", "vigil-timming fast", "Bad directive or wrong number of arguments"],
    ["bad vigil value", "vigil-timing slow", "argument(s) must be one of the following: fast, sentinel"],
    ["bad vigil-http", "vigil-http 9479", "argument must be <host>:<port>"],
    ["wrong arity", "port 1 2", "wrong number of arguments"],
    ["inline comment is an argument", "port 26379 # c", "wrong number of arguments"],
    ["unbalanced quotes", 'port "26379', "Unbalanced quotes in configuration line"],
    ["quote glued to text", 'port "26379"x', "Unbalanced quotes in configuration line"],
    ["not an integer", "port 026379", "argument couldn't be parsed into an integer"],
    ["out of range", "port 70000", "argument must be between 0 and 65535 inclusive"],
    ["maxclients range", "maxclients 0", "argument must be between 1 and 4294967295 inclusive"],
    ["bool", "daemonize maybe", "argument must be 'yes' or 'no'"],
    ["enum", "loglevel loud", "argument(s) must be one of the following: debug, verbose, notice, warning, nothing"],
    ["tls-auth-clients", "tls-auth-clients maybe", "argument(s) must be one of the following: no, yes, optional"],
    ["octal", "unixsocketperm 8", "argument couldn't be parsed as an octal number"],
    ["octal range", "unixsocketperm 1777", "argument must be between 0 and 777 inclusive"],
    ["too many binds", `bind ${Array.from({ length: 17 }, (_, i) => `10.0.0.${i}`).join(" ")}`, "Too many bind addresses specified."],
    ["module config without value", "x.y", "Module config specified without value"],
    ["deprecated with two args", "lua-replicate-commands yes no", "Bad directive or wrong number of arguments"],
    ["include without reader", "include /etc/other.conf", "Fatal error, can't open config file '/etc/other.conf': include is not available here"],
  ];
  for (const [name, line, message] of generic) {
    it(`error: ${name}`, () => fails(["# header", line], 2, message));
  }

  it("runs the injected dir / logfile checks with Redis's messages", () => {
    const checks: LoadOptions = { checkDir: () => "No such file or directory", checkLogfile: () => "Permission denied" };
    fails(["dir /nope"], 1, "No such file or directory", checks);
    fails(["logfile /nope/x.log"], 1, "Can't open the log file: Permission denied", checks);
  });

  it("resolves relative paths from the dir read so far, as Redis chdir()s at each dir line", () => {
    const seen: string[] = [];
    const c = ok(["logfile a.log", "dir ./one", "dir ../two", "logfile b.log", MONITOR, "sentinel notification-script mymaster ../h/n.sh", "dir /abs"].join("\n"), undefined, {
      cwd: "/run",
      checkDir: (p) => void seen.push(`dir ${p}`),
      checkLogfile: (p) => void seen.push(`log ${p}`),
      isExecutable: (p) => seen.push(`exec ${p}`) > 0,
    });
    // Sentinel lines are applied after the whole file: the script resolves from the last dir.
    expect(seen).toEqual(["log /run/a.log", "dir /run/one", "dir /run/two", "log /run/two/b.log", "dir /abs", "exec /h/n.sh"]);
    expect(c.generic).toMatchObject({ dir: "/abs", workingDir: "/abs" });
    expect(c.masters[0]!.settings.notificationScript).toBe("../h/n.sh");
  });

  it("follows include through the injected reader, with the included file's line numbers", () => {
    const files: Record<string, string> = { "/etc/inc.conf": "port 26399\n\nsentinel monitor m 127.0.0.1 6379 0" };
    const readInclude = (p: string) => (p in files ? { ok: true as const, text: files[p]! } : { ok: false as const, message: "No such file or directory" });
    const r = load("include /etc/inc.conf", undefined, { readInclude });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ path: "/etc/inc.conf", line: 3, message: "Quorum must be 1 or greater." });
    const selfInclude = load("include /etc/self.conf", undefined, { readInclude: () => ({ ok: true, text: "include /etc/self.conf" }) });
    expect(selfInclude.ok).toBe(false);
  });

  it("formats errors like redis-sentinel", () => {
    const r = load("port 1\nfoo-unknown bar");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatConfigError(r.error)).toBe(
      "*** FATAL CONFIG FILE ERROR (Vigil) ***\nReading the configuration file, at line 2\n>>> 'foo-unknown bar'\nBad directive or wrong number of arguments",
    );
  });
});

describe("loadConfig: command-line overrides", () => {
  it("appends overrides after the file so they win", () => {
    const c = ok("port 26379\nsentinel announce-ip 1.1.1.1\n", [
      ["port", "26380"],
      ["sentinel", "announce-ip", "2.2.2.2"],
    ]);
    expect(c.generic.port).toBe(26380);
    expect(c.global.announceIp).toBe("2.2.2.2");
    expect(c.lines.slice(-2)).toEqual(['port "26380"', 'sentinel "announce-ip" "2.2.2.2"']);
  });

  it("numbers override lines after the file, counting the joining newline", () => {
    // "a\nb\n" + "\n" + override → the override is line 4, as in Redis.
    const r = load("port 1\nport 2\n", [["port", "x"]]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ line: 4, lineText: 'port "x"', message: "argument couldn't be parsed into an integer" });
  });

  it("sentinel override errors use the same numbering", () => {
    const r = load(MONITOR, [["sentinel", "down-after-milliseconds", "mymaster", "0"]]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ line: 2, message: "negative or zero time parameter." });
  });
});
