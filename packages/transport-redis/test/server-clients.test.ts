import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { array, bulkArray, bulkMap, error, NULL_ARRAY, type Reply } from "../src/resp/reply.js";
import type { CommandHandler, RespServer } from "../src/server/types.js";
import { SENTINEL_LIKE_HANDLERS, startServer } from "./fixtures/our-server.js";

const exec = promisify(execFile);

/** A toy SENTINEL: one master `m` at 127.0.0.1:6379. */
const sentinel: CommandHandler = (args): Reply => {
  const sub = args[1]!.toLowerCase();
  if (sub === "get-master-addr-by-name") return args[2] === "m" ? bulkArray(["127.0.0.1", "6379"]) : NULL_ARRAY;
  if (sub === "masters") return array([bulkMap({ name: "m", ip: "127.0.0.1", port: "6379", flags: "master", "num-other-sentinels": "0" })]);
  if (sub === "sentinels" || sub === "replicas" || sub === "slaves") return array([]);
  return error("ERR not in this test");
};

let server: RespServer;
let port: number;
let authServer: RespServer;
let authPort: number;

beforeAll(async () => {
  ({ server, port } = await startServer({ dialect: "redis-7.2", handlers: { ...SENTINEL_LIKE_HANDLERS, sentinel } }));
  ({ server: authServer, port: authPort } = await startServer({
    handlers: { ...SENTINEL_LIKE_HANDLERS, sentinel },
    auth: { requirePass: "s3cret", users: [{ name: "app", passwords: ["app-pw"] }] },
  }));
});

afterAll(async () => {
  await server?.close();
  await authServer?.close();
});

/** Resolves once `predicate` holds (polling), or fails after a while. */
async function eventually(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("ioredis (RESP2)", () => {
  it("connects, names itself, reports its library and runs SENTINEL commands", async () => {
    const r = new Redis({ host: "127.0.0.1", port, connectionName: "vigil-test", lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    try {
      expect(await r.ping()).toBe("PONG");
      expect(await r.client("GETNAME")).toBe("vigil-test");
      expect(await r.call("SENTINEL", "get-master-addr-by-name", "m")).toEqual(["127.0.0.1", "6379"]);
      expect(await r.call("SENTINEL", "get-master-addr-by-name", "nope")).toBeNull();
      expect(await r.call("ROLE")).toEqual(["sentinel", ["m"]]);
      await expect(r.call("GET", "x")).rejects.toThrow("ERR unknown command 'GET', with args beginning with: 'x' ");
      await expect(r.call("PUBLISH", "x", "y")).rejects.toThrow("Only HELLO messages are accepted");
      const id = (await r.client("ID")) as number;
      const mine = server.clients().find((c) => c.id === id);
      expect(mine?.name).toBe("vigil-test");
      expect(mine?.libName).toBe("ioredis");
      expect(mine?.libVer).not.toBe("");
    } finally {
      r.disconnect();
    }
  });

  it("receives +switch-master on a channel and a pattern", async () => {
    const sub = new Redis({ host: "127.0.0.1", port, lazyConnect: true });
    await sub.connect();
    try {
      const got: string[] = [];
      sub.on("message", (channel: string, message: string) => got.push(`${channel}|${message}`));
      sub.on("pmessage", (pattern: string, channel: string, message: string) => got.push(`${pattern}|${channel}|${message}`));
      await sub.subscribe("+switch-master");
      await sub.psubscribe("*");
      expect(server.publish("+switch-master", "m 127.0.0.1 6379 127.0.0.1 6380")).toBe(2);
      await eventually(() => got.length === 2, "two messages");
      expect(got).toEqual(["+switch-master|m 127.0.0.1 6379 127.0.0.1 6380", "*|+switch-master|m 127.0.0.1 6379 127.0.0.1 6380"]);
      expect(server.stats().pubsubClients).toBeGreaterThanOrEqual(1);
    } finally {
      sub.disconnect();
    }
  });

  it("authenticates with a password and with a username", async () => {
    const a = new Redis({ host: "127.0.0.1", port: authPort, password: "s3cret", lazyConnect: true });
    const b = new Redis({ host: "127.0.0.1", port: authPort, username: "app", password: "app-pw", lazyConnect: true });
    await a.connect();
    await b.connect();
    try {
      expect(await a.call("ACL", "WHOAMI")).toBe("default");
      expect(await b.call("ACL", "WHOAMI")).toBe("app");
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});

describe("node-redis v5 (RESP3)", () => {
  it("says HELLO 3, sets its name and library, and gets RESP3 types", async () => {
    const c = createClient({ RESP: 3, name: "nr", socket: { host: "127.0.0.1", port, reconnectStrategy: false } });
    c.on("error", () => undefined);
    await c.connect();
    try {
      expect(await c.ping()).toBe("PONG");
      expect(await c.sendCommand(["CLIENT", "GETNAME"])).toBe("nr");
      expect(await c.sendCommand(["SENTINEL", "get-master-addr-by-name", "m"])).toEqual(["127.0.0.1", "6379"]);
      const masters = (await c.sendCommand(["SENTINEL", "MASTERS"])) as unknown[];
      // A RESP3 map arrives as a JS object (or Map, depending on type mapping).
      const first = masters[0] as Record<string, string> | Map<string, string>;
      const name = first instanceof Map ? first.get("name") : first.name;
      expect(name).toBe("m");
      const me = server.clients().find((x) => x.name === "nr");
      expect(me?.protocol).toBe(3);
      expect(me?.libName).toBe("node-redis");
    } finally {
      c.destroy();
    }
  });

  it("receives RESP3 push messages on subscriptions and node-redis' sentinel patterns", async () => {
    const c = createClient({ RESP: 3, socket: { host: "127.0.0.1", port, reconnectStrategy: false } });
    c.on("error", () => undefined);
    await c.connect();
    try {
      const got: string[] = [];
      await c.subscribe("+switch-master", (message, channel) => got.push(`${channel}|${message}`));
      await c.pSubscribe(["switch-master", "[-+]sdown", "+slave"], (message, channel) => got.push(`p:${channel}|${message}`));
      // Still usable for normal commands while subscribed (RESP3 has no subscribed-mode limits).
      expect(await c.ping()).toBe("PONG");
      server.publish("+switch-master", "m 127.0.0.1 6379 127.0.0.1 6380");
      server.publish("+sdown", "master m 127.0.0.1 6379");
      await eventually(() => got.length === 2, "two pushes");
      expect(got).toEqual(["+switch-master|m 127.0.0.1 6379 127.0.0.1 6380", "p:+sdown|master m 127.0.0.1 6379"]);
    } finally {
      c.destroy();
    }
  });

  it("authenticates through HELLO 3 AUTH", async () => {
    const c = createClient({ RESP: 3, username: "app", password: "app-pw", socket: { host: "127.0.0.1", port: authPort, reconnectStrategy: false } });
    c.on("error", () => undefined);
    await c.connect();
    try {
      expect(await c.sendCommand(["ACL", "WHOAMI"])).toBe("app");
    } finally {
      c.destroy();
    }
  });

  it("fails cleanly with a wrong password", async () => {
    const c = createClient({ RESP: 3, password: "wrong", socket: { host: "127.0.0.1", port: authPort, reconnectStrategy: false } });
    c.on("error", () => undefined);
    await expect(c.connect()).rejects.toThrow(/WRONGPASS/);
    if (c.isOpen) c.destroy();
  });
});

describe("redis-cli", () => {
  it("pings, counts commands and speaks RESP3", async () => {
    expect((await exec("redis-cli", ["-p", String(port), "ping"])).stdout).toBe("PONG\n");
    expect((await exec("redis-cli", ["-p", String(port), "command", "count"])).stdout).toBe("15\n");
    const hello = (await exec("redis-cli", ["-3", "-p", String(port), "hello", "3"])).stdout;
    expect(hello).toContain("mode");
    expect(hello).toContain("sentinel");
    expect((await exec("redis-cli", ["-p", String(port), "sentinel", "get-master-addr-by-name", "m"])).stdout).toBe("127.0.0.1\n6379\n");
  });

  it("authenticates with -a and sees NOAUTH without it", async () => {
    expect((await exec("redis-cli", ["-p", String(authPort), "--no-auth-warning", "-a", "s3cret", "ping"])).stdout).toBe("PONG\n");
    // redis-cli prints an error reply followed by an empty line when stdout is not a terminal.
    expect((await exec("redis-cli", ["-p", String(authPort), "ping"])).stdout).toBe("NOAUTH Authentication required.\n\n");
  });
});
