import { describe, expect, it } from "vitest";
import { error, integer } from "../src/resp/reply.js";
import { apiFixture, healthyFixture, PEER_ID, pairs, resp2, resp3, START, text } from "./api-support.js";

const SERVER_FIELDS = [
  "redis_version",
  "redis_git_sha1",
  "redis_git_dirty",
  "redis_build_id",
  "redis_mode",
  "os",
  "arch_bits",
  "monotonic_clock",
  "multiplexing_api",
  "atomicvar_api",
  "gcc_version",
  "process_id",
  "process_supervised",
  "run_id",
  "tcp_port",
  "server_time_usec",
  "uptime_in_seconds",
  "uptime_in_days",
  "hz",
  "configured_hz",
  "lru_clock",
  "executable",
  "config_file",
  "io_threads_active",
];
const CLIENTS_FIELDS = [
  "connected_clients",
  "cluster_connections",
  "maxclients",
  "client_recent_max_input_buffer",
  "client_recent_max_output_buffer",
  "blocked_clients",
  "tracking_clients",
  "clients_in_timeout_table",
];
const CPU_FIELDS = [
  "used_cpu_sys",
  "used_cpu_user",
  "used_cpu_sys_children",
  "used_cpu_user_children",
  "used_cpu_sys_main_thread",
  "used_cpu_user_main_thread",
];

/** Section name → [field, value] lines. */
function sections(info: string): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  let current: [string, string][] = [];
  for (const line of info.split("\r\n")) {
    if (line.startsWith("# ")) {
      current = [];
      out.set(line.slice(2), current);
    } else if (line !== "") {
      const i = line.indexOf(":");
      current.push([line.slice(0, i), line.slice(i + 1)]);
    }
  }
  return out;
}

describe("INFO", () => {
  it("no argument, default, all and everything: Server, Clients, Stats, CPU, Sentinel, separated by a blank line", () => {
    const f = healthyFixture();
    for (const args of [[], ["default"], ["ALL"], ["everything"], ["server", "all"]]) {
      const info = text(f.api.info(["INFO", ...args]));
      expect([...sections(info).keys()]).toEqual(["Server", "Clients", "Stats", "CPU", "Sentinel"]);
      expect(info).toMatch(/^# Server\r\n/);
      expect(info).toContain("io_threads_active:0\r\n\r\n# Clients\r\n");
      expect(info).toContain("clients_in_timeout_table:0\r\n\r\n# Stats\r\n");
      expect(info.endsWith("sentinels=2\r\n")).toBe(true);
    }
  });

  it("is a bulk string in both protocols (not a verbatim string)", () => {
    const f = apiFixture();
    const r = f.api.info(["INFO", "sentinel"]);
    expect(r.kind).toBe("bulk");
    expect(resp3(r)).toBe(resp2(r));
    expect(resp2(r).startsWith("$")).toBe(true);
  });

  it("picks sections case-insensitively, in the fixed order, ignoring sections a Sentinel lacks", () => {
    const f = apiFixture();
    expect([...sections(text(f.api.info(["INFO", "Sentinel", "CLIENTS", "memory"]))).keys()]).toEqual(["Clients", "Sentinel"]);
    expect(text(f.api.info(["INFO", "replication"]))).toBe("");
    expect(text(f.api.info(["INFO", "sentinel", "sentinel"]))).toMatch(/^# Sentinel\r\n[^#]*$/);
  });

  it("server section: Redis 7.0.15's fields in order, redis_mode:sentinel, the process run id (not myid)", () => {
    const f = apiFixture();
    const server = sections(text(f.api.info(["INFO", "server"]))).get("Server")!;
    expect(server.map(([k]) => k)).toEqual(SERVER_FIELDS);
    const v = Object.fromEntries(server);
    expect(v).toMatchObject({
      redis_version: "7.0.15",
      redis_mode: "sentinel",
      os: "Linux 6.1.0 x86_64",
      process_id: "4242",
      run_id: "bffd1abdb3b06c0738bef812487f2986683f0530",
      tcp_port: "26379",
      server_time_usec: String(START * 1000),
      uptime_in_seconds: "77",
      uptime_in_days: "0",
      executable: "/usr/bin/vigil",
      config_file: "/etc/vigil/sentinel.conf",
    });
    expect(v.run_id).not.toBe(f.engine.myId);
    expect(Number(v.lru_clock)).toBe(Math.floor(START / 1000) % 2 ** 24);
  });

  it("clients, stats and cpu sections use the server counters", () => {
    const f = apiFixture();
    const s = sections(text(f.api.info(["INFO", "clients", "stats", "cpu"])));
    expect(s.get("Clients")!.map(([k]) => k)).toEqual(CLIENTS_FIELDS);
    expect(Object.fromEntries(s.get("Clients")!)).toMatchObject({ connected_clients: "3", maxclients: "10000" });
    const stats = Object.fromEntries(s.get("Stats")!);
    expect(stats).toMatchObject({
      total_connections_received: "11",
      total_commands_processed: "108",
      pubsub_channels: "1",
      total_error_replies: "2",
      instantaneous_input_kbps: "0.00",
      expired_stale_perc: "0.00",
    });
    expect(s.get("Stats")!).toHaveLength(50);
    expect(s.get("CPU")).toEqual([
      ["used_cpu_sys", "1.163088"],
      ["used_cpu_user", "0.193942"],
      ["used_cpu_sys_children", "0.000000"],
      ["used_cpu_user_children", "0.000000"],
      ["used_cpu_sys_main_thread", "1.163088"],
      ["used_cpu_user_main_thread", "0.193942"],
    ]);
    expect(CPU_FIELDS).toHaveLength(6);
  });

  it("sentinel section: exact lines", () => {
    const f = healthyFixture();
    f.sentinel("simulate-failure", "crash-after-promotion");
    f.setScripts([{ argv: ["/x"], running: true, pid: 1, startedAt: 0, runAt: 0, retryNum: 1 }], 1);
    f.sentinel("monitor", "other", "127.0.0.1", "7000", "1");
    expect(text(f.api.info(["INFO", "sentinel"]))).toBe(
      [
        "# Sentinel",
        "sentinel_masters:2",
        "sentinel_tilt:0",
        "sentinel_tilt_since_seconds:-1",
        "sentinel_running_scripts:1",
        "sentinel_scripts_queue_length:1",
        "sentinel_simulate_failure_flags:2",
        "master0:name=mymaster,status=ok,address=127.0.0.1:6379,slaves=1,sentinels=2",
        "master1:name=other,status=ok,address=127.0.0.1:7000,slaves=0,sentinels=1",
        "",
      ].join("\r\n"),
    );
  });

  it("sentinel section: TILT and SDOWN", () => {
    const f = healthyFixture();
    f.skip(3000);
    f.input({ kind: "tick", now: f.now() });
    f.advance(2500);
    const lines = text(f.api.info(["INFO", "sentinel"])).split("\r\n");
    expect(lines).toContain("sentinel_tilt:1");
    expect(lines).toContain("sentinel_tilt_since_seconds:2");
    const g = apiFixture({ masters: [{ settings: { name: "gone", host: "127.0.0.1", port: 6999, quorum: 2, downAfterMs: 1000 } }] });
    g.advance(1500);
    expect(text(g.api.info(["INFO", "sentinel"]))).toContain("master0:name=gone,status=sdown,address=127.0.0.1:6999,slaves=0,sentinels=1\r\n");
  });
});

describe("ROLE", () => {
  it("is [sentinel, [master names]]", () => {
    const f = apiFixture({
      masters: ["a", "b c"].map((name, i) => ({ settings: { name, host: "127.0.0.1", port: 7000 + i, quorum: 1 } })),
    });
    expect(resp2(f.api.role(["ROLE"]))).toBe("*2\r\n$8\r\nsentinel\r\n*2\r\n$1\r\na\r\n$3\r\nb c\r\n");
    expect(f.api.role(["role", "x"])).toEqual(error("ERR wrong number of arguments for 'role' command"));
  });
});

describe("PUBLISH", () => {
  it("accepts only __sentinel__:hello, feeds it to the engine as a hello via the API, replies :1", () => {
    const f = apiFixture();
    const payload = `127.0.0.1,26380,${PEER_ID},3,mymaster,127.0.0.1,6379,0`;
    expect(f.api.publish(["PUBLISH", "__sentinel__:hello", payload])).toEqual(integer(1));
    expect(f.events.map((e) => e.type)).toEqual(expect.arrayContaining(["+sentinel", "+new-epoch"]));
    expect(f.engine.currentEpoch()).toBe(3);
    expect(pairs(f.sentinel("master", "mymaster")).find(([k]) => k === "num-other-sentinels")![1]).toBe("1");
    // Malformed payloads are still answered :1 (the engine drops them).
    expect(f.api.publish(["PUBLISH", "__sentinel__:hello", "garbage"])).toEqual(integer(1));
  });

  it("refuses other channels (case-sensitive) and checks its arity", () => {
    const f = apiFixture();
    const only = error("ERR Only HELLO messages are accepted by Sentinel instances.");
    expect(f.api.publish(["PUBLISH", "foo", "bar"])).toEqual(only);
    expect(f.api.publish(["PUBLISH", "__SENTINEL__:HELLO", "x"])).toEqual(only);
    expect(f.api.publish(["publish", "a"])).toEqual(error("ERR wrong number of arguments for 'publish' command"));
  });
});
