import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulk, error, integer, type Reply } from "../src/resp/reply.js";
import type { CommandContext, RespServer, ShutdownRequest } from "../src/server/types.js";
import { SENTINEL_LIKE_HANDLERS, type Started, startServer } from "./fixtures/our-server.js";
import { command, RawConnection, rawExchange } from "./fixtures/raw-client.js";
import { decodeAllReplies } from "./fixtures/reply-decoder.js";

const text = (b: Buffer): string => b.toString("latin1");

const calls: { args: readonly string[]; ctx: CommandContext }[] = [];
let started: Started;
let server: RespServer;
let port: number;

beforeAll(async () => {
  started = await startServer({
    // 7.2: CLIENT LIST carries lib-name/lib-ver (checked below).
    dialect: "redis-7.2",
    handlers: {
      ...SENTINEL_LIKE_HANDLERS,
      sentinel: async (args, ctx): Promise<Reply> => {
        calls.push({ args, ctx });
        if (args[1]!.toLowerCase() === "set" && args[2] === "publish") return integer(server.publish(args[3]!, args[4]!));
        // `SENTINEL RESET slow` answers late, to exercise pipelining.
        if (args[2] === "slow") await new Promise((r) => setTimeout(r, 40));
        return bulk(`sentinel ${args.slice(1).join(" ")}`);
      },
    },
  });
  ({ server, port } = started);
});

afterAll(async () => {
  await server?.close();
});

describe("delegated commands", () => {
  it("hand over the arguments, the raw bytes and the client", async () => {
    calls.length = 0;
    const c = await RawConnection.open(port);
    await c.send("CLIENT SETNAME probe\r\nHELLO 3\r\n", 2);
    // SENTINEL MYID exists in the table (arity 2), so it reaches the handler.
    expect(text(await c.send(command("SENTINEL", "myid")))).toBe("$13\r\nsentinel myid\r\n");
    expect(text(await c.send(command("sentinel", "is-master-down-by-addr", "127.0.0.1", "6379", "0", Buffer.from([0xff]))))).toContain("sentinel is-master-down-by-addr");
    c.close();
    expect(calls[0]!.args).toEqual(["SENTINEL", "myid"]);
    expect(calls[0]!.ctx.client.name).toBe("probe");
    expect(calls[0]!.ctx.client.protocol).toBe(3);
    expect(calls[0]!.ctx.client.user).toBe("default");
    expect(calls[1]!.ctx.rawArgs[5]).toEqual(Buffer.from([0xff]));
  });

  it("are checked against the table first: arity and unknown subcommands never reach the handler", async () => {
    calls.length = 0;
    const r = await rawExchange(port, "SENTINEL MASTER\r\nSENTINEL nope\r\nSENTINEL MASTERS extra\r\n", { replies: 3 });
    expect(text(r.bytes)).toBe(
      "-ERR wrong number of arguments for 'sentinel|master' command\r\n" +
        "-ERR unknown subcommand 'nope'. Try SENTINEL HELP.\r\n" +
        "-ERR wrong number of arguments for 'sentinel|masters' command\r\n",
    );
    expect(calls).toEqual([]);
  });

  it("keep pipelined replies in order around a slow handler, which runs before the next command starts", async () => {
    calls.length = 0;
    const payload = "SENTINEL RESET slow\r\nPING\r\nSENTINEL RESET fast\r\nROLE\r\n";
    const t0 = Date.now();
    const r = await rawExchange(port, payload, { replies: 4 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(35);
    expect(calls.map((c) => c.args[2])).toEqual(["slow", "fast"]);
    expect(text(r.bytes)).toBe("$19\r\nsentinel RESET slow\r\n+PONG\r\n$19\r\nsentinel RESET fast\r\n*2\r\n$8\r\nsentinel\r\n*1\r\n$1\r\nm\r\n");
  });
});

describe("handler failures", () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({
      handlers: {
        sentinel: (args) => {
          const sub = args[1]!.toLowerCase();
          if (sub === "myid") throw new Error("sync boom");
          if (sub === "masters") return Promise.reject(new Error("async boom"));
          return { kind: "nonsense" } as unknown as Reply;
        },
      },
    });
  });
  afterAll(async () => {
    await s.server.close();
  });

  it("answer -ERR internal error and report to onError, the connection survives", async () => {
    const r = await rawExchange(s.port, "SENTINEL MYID\r\nSENTINEL MASTERS\r\nSENTINEL FLUSHCONFIG\r\nPING\r\n", { replies: 4 });
    expect(text(r.bytes)).toBe("-ERR internal error\r\n-ERR internal error\r\n-ERR internal error\r\n+PONG\r\n");
    expect(s.errors.map(String)).toEqual([
      "Error: sync boom",
      "Error: async boom",
      "TypeError: handler for 'sentinel' returned a non-reply value",
    ]);
  });

  it("a missing handler is an error reply, not a crash", async () => {
    const r = await rawExchange(s.port, "INFO\r\nROLE\r\nPUBLISH a b\r\n", { replies: 3 });
    expect(text(r.bytes)).toBe(
      "-ERR no handler is configured for 'info'\r\n-ERR no handler is configured for 'role'\r\n-ERR no handler is configured for 'publish'\r\n",
    );
  });
});

describe("Pub/Sub API", () => {
  it("publish() counts channel and pattern receivers and is binary-safe", async () => {
    const a = await RawConnection.open(port);
    const b = await RawConnection.open(port);
    await a.send(Buffer.concat([command("SUBSCRIBE", Buffer.from([0xe9]))]));
    await b.send("HELLO 3\r\nPSUBSCRIBE *\r\n", 2);
    expect(server.publish(Buffer.from([0xe9]), Buffer.from([0, 1]))).toBe(2);
    expect(text(await a.read())).toBe("*3\r\n$7\r\nmessage\r\n$1\r\n\xe9\r\n$2\r\n\x00\x01\r\n");
    expect(text(await b.read())).toBe(">4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$1\r\n\xe9\r\n$2\r\n\x00\x01\r\n");
    expect(server.publish("nobody-listens-here", "x")).toBe(1); // b's pattern
    a.close();
    b.close();
  });

  it("a handler can publish while a subscriber in RESP3 keeps issuing commands", async () => {
    const c = await RawConnection.open(port);
    await c.send("HELLO 3\r\nSUBSCRIBE +switch-master\r\n", 2);
    const out = text(await c.send("SENTINEL SET publish +switch-master hi\r\n", 2));
    // The push is queued before the command's own reply, as in Redis.
    expect(out).toBe(">3\r\n$7\r\nmessage\r\n$14\r\n+switch-master\r\n$2\r\nhi\r\n:1\r\n");
    c.close();
  });
});

describe("clients and stats", () => {
  it("CLIENT LIST shows every client in Redis's format, CLIENT KILL ID closes another", async () => {
    const victim = await RawConnection.open(port);
    await victim.send("CLIENT SETNAME victim\r\nCLIENT SETINFO lib-name raw\r\n", 2);
    const id = Number(text(await victim.send("CLIENT ID\r\n")).slice(1, -2));
    const killer = await RawConnection.open(port);
    const list = String((decodeAllReplies(await killer.send("CLIENT LIST\r\n"))[0] as { value: string }).value);
    const line = list.split("\n").find((l) => l.includes("name=victim"));
    expect(line).toMatch(
      new RegExp(
        `^id=${id} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${port} fd=\\d+ name=victim age=\\d+ idle=\\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\\d+ qbuf-free=0 argv-mem=\\d+ multi-mem=0 rbs=0 rbp=0 obl=\\d+ oll=0 omem=\\d+ tot-mem=\\d+ events=rw? cmd=client\\|id user=default redir=-1 resp=2 lib-name=raw lib-ver=$`,
      ),
    );
    expect(text(await killer.send(`CLIENT KILL ID ${id}\r\n`))).toBe(":1\r\n");
    expect(await victim.waitClosed()).toBe(true);
    killer.close();
  });

  it("CLIENT KILL <addr> on itself answers +OK and then closes", async () => {
    const c = await RawConnection.open(port);
    const info = String((decodeAllReplies(await c.send("CLIENT INFO\r\n"))[0] as { value: string }).value);
    const addr = /addr=(\S+)/.exec(info)![1]!;
    expect(text(await c.send(`CLIENT KILL ${addr}\r\n`))).toBe("+OK\r\n");
    expect(await c.waitClosed()).toBe(true);
  });

  it("killClients() filters like CLIENT KILL", async () => {
    const a = await RawConnection.open(port);
    const b = await RawConnection.open(port);
    await b.send("SUBSCRIBE x\r\n");
    await a.send("PING\r\n");
    expect(server.killClients({ type: "pubsub" })).toBe(1);
    expect(await b.waitClosed()).toBe(true);
    expect(a.closed).toBe(false);
    a.close();
  });

  it("stats() counts connections, commands and errors", async () => {
    const before = server.stats();
    await rawExchange(port, "PING\r\nPING\r\nNOPE\r\n", { replies: 3 });
    const after = server.stats();
    expect(after.totalConnectionsReceived).toBe(before.totalConnectionsReceived + 1);
    expect(after.totalCommandsProcessed).toBe(before.totalCommandsProcessed + 2);
    expect(after.totalErrorReplies).toBe(before.totalErrorReplies + 1);
    expect(after.tcpPort).toBe(port);
    expect(after.totalNetInputBytes).toBeGreaterThan(before.totalNetInputBytes);
  });
});

describe("CLIENT PAUSE", () => {
  it("UNPAUSE from another client releases a held PUBLISH early", async () => {
    const pauser = await RawConnection.open(port);
    const other = await RawConnection.open(port);
    expect(text(await pauser.send("CLIENT PAUSE 10000 WRITE\r\n"))).toBe("+OK\r\n");
    const t0 = Date.now();
    const held = other.send("PUBLISH __sentinel__:hello x\r\n");
    await new Promise((r) => setTimeout(r, 50));
    expect(text(await pauser.send("CLIENT UNPAUSE\r\n"))).toBe("+OK\r\n");
    expect(text(await held)).toBe(":1\r\n");
    expect(Date.now() - t0).toBeLessThan(2000);
    pauser.close();
    other.close();
  });

  it("a short ALL pause delays other clients by about its length", async () => {
    const pauser = await RawConnection.open(port);
    const other = await RawConnection.open(port);
    await pauser.send("CLIENT PAUSE 150\r\n");
    const t0 = Date.now();
    expect(text(await other.send("PING\r\n"))).toBe("+PONG\r\n");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    pauser.close();
    other.close();
  });

  it("WRITE only holds PUBLISH", async () => {
    const pauser = await RawConnection.open(port);
    await pauser.send("CLIENT PAUSE 200 WRITE\r\n");
    const t0 = Date.now();
    expect(text(await pauser.send("PING\r\n"))).toBe("+PONG\r\n");
    expect(Date.now() - t0).toBeLessThan(100);
    expect(text(await pauser.send("PUBLISH __sentinel__:hello x\r\n"))).toBe(":1\r\n");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    pauser.close();
  });
});

describe("SHUTDOWN", () => {
  it("calls the hook with the flags, then closes every client without a reply", async () => {
    const requests: ShutdownRequest[] = [];
    const s = await startServer({ onShutdown: (req) => void requests.push(req) });
    try {
      const bystander = await RawConnection.open(s.port);
      await bystander.send("PING\r\n");
      const r = await rawExchange(s.port, "SHUTDOWN nosave now\r\n");
      expect(r.bytes.length).toBe(0);
      expect(r.closed).toBe(true);
      expect(await bystander.waitClosed()).toBe(true);
      expect(requests.map((q) => q.flags)).toEqual([["NOSAVE", "NOW"]]);
    } finally {
      await s.server.close();
    }
  });

  it("sends the hook's reply instead when it returns one", async () => {
    const s = await startServer({ onShutdown: async () => error("ERR Errors trying to SHUTDOWN. Check logs.") });
    try {
      const r = await rawExchange(s.port, "SHUTDOWN\r\nPING\r\n", { replies: 2 });
      expect(text(r.bytes)).toBe("-ERR Errors trying to SHUTDOWN. Check logs.\r\n+PONG\r\n");
    } finally {
      await s.server.close();
    }
  });

  it("without a hook, the server closes itself", async () => {
    const s = await startServer();
    const r = await rawExchange(s.port, "SHUTDOWN\r\n");
    expect(r.closed).toBe(true);
    await new Promise((res) => setTimeout(res, 50));
    expect(s.server.addresses()).toEqual([]);
    const again = await rawExchange(s.port, "PING\r\n", { timeoutMs: 300 });
    expect(again.bytes.length).toBe(0);
  });
});
