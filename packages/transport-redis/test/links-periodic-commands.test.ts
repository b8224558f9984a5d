// The link pool's PING, INFO and hello PUBLISH (links/periodic-commands.ts: built once per link):
// renamed as the instance's rename-command says, each reply delivered to the engine as its input,
// and a failure of a link that was replaced since is not reported (the engine already moved on).
import { createServer, type Server, type Socket } from "node:net";
import type { Address, EngineInput } from "@vigil/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LinkPool } from "../src/links/link-pool.js";
import { readCommands } from "./resp-commands-support.js";

let server: Server;
let port: number;
/** Commands received, per connection in order of arrival. */
const received: string[][] = [];
/** How new connections answer: normally, not at all (a hung instance), or with errors. */
let mode: "ok" | "hang" | "error" = "ok";

beforeAll(async () => {
  server = createServer((sock: Socket) => {
    const log: string[] = [];
    received.push(log);
    const answers = mode;
    readCommands(sock, (args) => {
      log.push(args.join(" "));
      const name = args[0]!.toUpperCase();
      if (answers === "hang" && name !== "CLIENT") return;
      if (answers === "error" && name !== "CLIENT") sock.write("-LOADING Redis is loading the dataset in memory\r\n");
      else if (name.endsWith("PING")) sock.write("+PONG\r\n");
      else if (name.endsWith("INFO")) sock.write("$18\r\n# Server\r\nrun_id:x\r\n");
      else if (name.endsWith("PUB")) sock.write(":2\r\n");
      else sock.write("+OK\r\n");
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
};

function connect(pool: LinkPool, addr: Address, renames: Record<string, string>) {
  pool.connect({ kind: "connect", addr, link: "cmd", peer: "instance", clientName: "sentinel-test-cmd", renames, auth: undefined });
}

it("sends PING, INFO and the hello PUBLISH renamed, and delivers each reply as its input, again and again", async () => {
  const inputs: EngineInput[] = [];
  const pool = new LinkPool({ deliver: (i) => inputs.push(i), now: () => 42 });
  const addr = { host: "127.0.0.1", port };
  try {
    connect(pool, addr, { ping: "XPING", info: "XINFO", publish: "XPUB" });
    await until(() => inputs.some((x) => x.kind === "link-up"));
    // The same hello twice (its encoded PUBLISH is reused), then another one.
    const hellos = ["hello 0", "hello 0", "hello 1é"];
    for (const payload of hellos) {
      pool.batch();
      pool.info({ kind: "info", addr });
      pool.ping({ kind: "ping", addr });
      pool.publishHello({ kind: "publish-hello", addr, payload });
      pool.flush();
    }
    await until(() => inputs.filter((x) => x.kind === "publish-reply").length === 3);
    expect(received.at(-1)!.slice(1)).toEqual(hellos.flatMap((h) => ["XINFO", "XPING", `XPUB __sentinel__:hello ${Buffer.from(h).toString("latin1")}`]));
    const replies = inputs.filter((x) => x.kind !== "link-up");
    expect(replies).toEqual(
      hellos.flatMap(() => [
        { kind: "info-reply", now: 42, addr, text: "# Server\r\nrun_id:x" },
        { kind: "ping-reply", now: 42, addr, reply: "PONG" },
        { kind: "publish-reply", now: 42, addr, ok: true },
      ]),
    );
  } finally {
    pool.closeAll();
  }
});

it("reports error replies on the current link, and nothing from a link replaced since", async () => {
  const inputs: EngineInput[] = [];
  const pool = new LinkPool({ deliver: (i) => inputs.push(i), now: () => 7 });
  const addr = { host: "127.0.0.1", port };
  try {
    mode = "hang";
    connect(pool, addr, {});
    await until(() => inputs.some((x) => x.kind === "link-up"));
    pool.ping({ kind: "ping", addr });
    pool.info({ kind: "info", addr });
    await until(() => received.at(-1)!.includes("INFO"));
    mode = "error";
    connect(pool, addr, {}); // the engine reconnects: the hung link is closed, its commands fail unreported
    await until(() => inputs.filter((x) => x.kind === "link-up").length === 2);
    pool.ping({ kind: "ping", addr });
    pool.info({ kind: "info", addr });
    pool.publishHello({ kind: "publish-hello", addr, payload: "p" });
    await until(() => inputs.some((x) => x.kind === "publish-reply"));
    expect(inputs.filter((x) => x.kind !== "link-up")).toEqual([
      { kind: "ping-reply", now: 7, addr, reply: "LOADING Redis is loading the dataset in memory" },
      { kind: "info-reply", now: 7, addr, text: null },
      { kind: "publish-reply", now: 7, addr, ok: false },
    ]);
  } finally {
    mode = "ok";
    pool.closeAll();
  }
});
