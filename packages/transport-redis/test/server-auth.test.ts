import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRespServer } from "../src/server/resp-server.js";
import type { RespServer } from "../src/server/types.js";
import { startServer } from "./fixtures/our-server.js";
import { command, RawConnection, rawExchange } from "./fixtures/raw-client.js";
import { decodeAllReplies } from "./fixtures/reply-decoder.js";

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

let server: RespServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startServer({
    auth: {
      requirePass: "secret",
      users: [
        { name: "alice", passwords: ["apass"] },
        { name: "hashed", passwords: [`#${sha256("hpass")}`] },
        { name: "bob", enabled: false, passwords: ["bpass"] },
        { name: "carol", nopass: true, rules: ["resetchannels", "&news.*", "+@all"] },
        { name: "nobody-cmds", passwords: ["n"], rules: ["-@all", "&*"] },
      ],
    },
  }));
});

afterAll(async () => {
  await server?.close();
});

const text = (b: Buffer): string => b.toString("latin1");

async function authed(user: string, pass: string): Promise<RawConnection> {
  const c = await RawConnection.open(port);
  expect(text(await c.send(command("AUTH", user, pass)))).toBe("+OK\r\n");
  return c;
}

describe("before authentication", () => {
  it("answers NOAUTH to everything but AUTH and HELLO, after the lookup and arity checks (Redis order)", async () => {
    const r = await rawExchange(port, "PING\r\nCLIENT ID\r\nSENTINEL MASTERS\r\nfoo\r\nping a b\r\nHELLO\r\nAUTH wrong\r\n", { replies: 7 });
    expect(text(r.bytes)).toBe(
      "-NOAUTH Authentication required.\r\n" +
        "-NOAUTH Authentication required.\r\n" +
        "-NOAUTH Authentication required.\r\n" +
        "-ERR unknown command 'foo', with args beginning with: \r\n" +
        "-NOAUTH Authentication required.\r\n" +
        "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n" +
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
    );
  });

  it("applies the unauthenticated request size limits", async () => {
    const many = await rawExchange(port, "*11\r\n");
    expect(text(many.bytes)).toBe("-ERR Protocol error: unauthenticated multibulk length\r\n");
    expect(many.closed).toBe(true);
    const big = await rawExchange(port, "*1\r\n$16385\r\n");
    expect(text(big.bytes)).toBe("-ERR Protocol error: unauthenticated bulk length\r\n");
    expect(big.closed).toBe(true);
  });

  it("lifts the limits for the rest of a pipeline once AUTH succeeded", async () => {
    const r = await rawExchange(port, Buffer.concat([command("AUTH", "secret"), command("PING", "x".repeat(20000))]), { replies: 2 });
    expect(text(r.bytes)).toBe(`+OK\r\n$20000\r\n${"x".repeat(20000)}\r\n`);
  });
});

describe("AUTH", () => {
  it.each([
    ["requirepass (one-argument form)", ["secret"], "default"],
    ["default user by name", ["default", "secret"], "default"],
    ["clear-text password", ["alice", "apass"], "alice"],
    ["SHA-256 password", ["hashed", "hpass"], "hashed"],
    ["nopass user with any password", ["carol", "whatever"], "carol"],
  ])("%s", async (_name, args, user) => {
    const r = await rawExchange(port, Buffer.concat([command("AUTH", ...args), command("ACL", "WHOAMI")]), { replies: 2 });
    expect(text(r.bytes)).toBe(`+OK\r\n$${user.length}\r\n${user}\r\n`);
  });

  it.each([
    ["wrong password", ["alice", "nope"]],
    ["disabled user", ["bob", "bpass"]],
    ["unknown user", ["mallory", "x"]],
    ["wrong requirepass", ["nope"]],
  ])("refuses: %s", async (_name, args) => {
    const r = await rawExchange(port, command("AUTH", ...args), { replies: 1 });
    expect(text(r.bytes)).toBe("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  });

  it("keeps the previous identity after a failed AUTH and logs the failure", async () => {
    const c = await authed("alice", "apass");
    expect(text(await c.send(command("AUTH", "alice", "bad")))).toContain("WRONGPASS");
    expect(text(await c.send(command("ACL", "WHOAMI")))).toBe("$5\r\nalice\r\n");
    const log = decodeAllReplies(await c.send(command("ACL", "LOG", "1")))[0]!;
    expect(log.kind).toBe("array");
    const entry = log.kind === "array" ? log.items[0]! : undefined;
    const fields = entry?.kind === "array" ? entry.items.map((i) => (i.kind === "bulk" ? String(i.value) : i.kind === "integer" ? Number(i.value) : "?")) : [];
    expect(fields.slice(0, 10)).toEqual(["count", fields[1], "reason", "auth", "context", "toplevel", "object", "AUTH", "username", "alice"]);
    c.close();
  });

  it("HELLO 3 AUTH authenticates and switches protocol in one step", async () => {
    const r = await rawExchange(port, Buffer.concat([command("HELLO", "3", "AUTH", "alice", "apass", "SETNAME", "x"), command("CLIENT", "GETNAME")]), { replies: 2 });
    const [hello, name] = decodeAllReplies(r.bytes);
    expect(hello?.kind).toBe("map");
    expect(name).toEqual({ kind: "bulk", value: "x" });
  });
});

describe("ACL permissions", () => {
  it("denies every command to a -@all user, with a NOPERM and a log entry", async () => {
    const c = await authed("nobody-cmds", "n");
    expect(text(await c.send("PING\r\n"))).toBe("-NOPERM this user has no permissions to run the 'ping' command\r\n");
    expect(text(await c.send("CLIENT ID\r\n"))).toBe("-NOPERM this user has no permissions to run the 'client|id' command\r\n");
    // AUTH and HELLO are never subject to command rules.
    expect(text(await c.send(command("AUTH", "secret")))).toBe("+OK\r\n");
    const log = decodeAllReplies(await c.send(command("ACL", "LOG", "1")))[0]!;
    expect(JSON.stringify(log)).toContain('"command"');
    c.close();
  });

  it("enforces channel patterns on SUBSCRIBE, PSUBSCRIBE and PUBLISH", async () => {
    const c = await authed("carol", "x");
    expect(text(await c.send("SUBSCRIBE other\r\n"))).toBe("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n");
    expect(text(await c.send("PSUBSCRIBE news.?\r\n"))).toBe("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n");
    expect(text(await c.send("PUBLISH other x\r\n"))).toBe("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n");
    expect(text(await c.send("PSUBSCRIBE news.*\r\n"))).toBe("*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:1\r\n");
    expect(text(await c.send("SUBSCRIBE news.eu\r\n"))).toBe("*3\r\n$9\r\nsubscribe\r\n$7\r\nnews.eu\r\n:2\r\n");
    c.close();
  });

  it("ACL SETUSER creates usable users and DELUSER disconnects them", async () => {
    const admin = await authed("alice", "apass");
    expect(text(await admin.send(command("ACL", "SETUSER", "temp", "on", ">tpw", "~*", "&*", "+@all")))).toBe("+OK\r\n");
    expect(text(await admin.send(command("ACL", "SETUSER", "temp", "+ping")))).toBe(
      "-ERR Error in ACL SETUSER modifier '+ping': this server only supports all-or-nothing command rules (allcommands, +@all, nocommands, -@all)\r\n",
    );
    const temp = await authed("temp", "tpw");
    expect(text(await temp.send("PING\r\n"))).toBe("+PONG\r\n");
    expect(text(await admin.send(command("ACL", "DELUSER", "temp")))).toBe(":1\r\n");
    expect(await temp.waitClosed()).toBe(true);
    expect(text(await admin.send(command("AUTH", "temp", "tpw")))).toContain("WRONGPASS");
    admin.close();
  });

  it("a user deleting itself gets its reply, then the connection closes", async () => {
    const admin = await authed("alice", "apass");
    await admin.send(command("ACL", "SETUSER", "selfish", "on", "nopass", "&*", "+@all"));
    const c = await authed("selfish", "x");
    expect(text(await c.send(command("ACL", "DELUSER", "selfish")))).toBe(":1\r\n");
    expect(await c.waitClosed()).toBe(true);
    admin.close();
  });
});

describe("startup configuration", () => {
  it("throws on invalid startup rules (a configuration error, caught before serving)", () => {
    expect(() => createRespServer({ auth: { users: [{ name: "x", rules: ["+get"] }] } })).toThrow(/invalid ACL rule '\+get'/);
  });

  it("without a password nobody needs to authenticate, and AUTH <pw> explains why", async () => {
    const open = await startServer();
    try {
      const r = await rawExchange(open.port, "PING\r\nAUTH x\r\n", { replies: 2 });
      expect(text(r.bytes)).toBe(
        "+PONG\r\n-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n",
      );
    } finally {
      await open.server.close();
    }
  });

  it("a `default` user spec replaces requirepass", async () => {
    const s = await startServer({ auth: { requirePass: "old", users: [{ name: "default", passwords: ["new"] }] } });
    try {
      const r = await rawExchange(s.port, "AUTH old\r\nAUTH new\r\n", { replies: 2 });
      expect(text(r.bytes)).toBe("-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n");
    } finally {
      await s.server.close();
    }
  });
});
