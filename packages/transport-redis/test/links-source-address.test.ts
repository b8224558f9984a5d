// `bind-source-addr` for Vigil's outgoing links: the LinkPool binds every connection to the configured
// local address, reports it as the link's local host (the hello's ip), and keeps working without one.
// A tiny RESP server on 127.0.0.1 records where each connection came from.
import { createServer, type Server, type Socket } from "node:net";
import type { EngineInput } from "@vigil/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LinkPool } from "../src/links/link-pool.js";
import { readCommands } from "./resp-commands-support.js";

let server: Server;
let port: number;
const peers: string[] = [];

beforeAll(async () => {
  server = createServer((sock: Socket) => {
    peers.push(sock.remoteAddress ?? "?");
    // Answer PING with +PONG and every other command with +OK.
    readCommands(sock, (args) => sock.write(args[0]?.toUpperCase() === "PING" ? "+PONG\r\n" : "+OK\r\n"));
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function linkUp(pool: LinkPool, inputs: EngineInput[]): Promise<Extract<EngineInput, { kind: "link-up" }>> {
  pool.connect({ kind: "connect", addr: { host: "127.0.0.1", port }, link: "cmd", peer: "instance", clientName: "sentinel-test-cmd", renames: {}, auth: undefined });
  for (let i = 0; i < 200; i++) {
    const up = inputs.find((x) => x.kind === "link-up");
    if (up) return up as Extract<EngineInput, { kind: "link-up" }>;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no link-up: ${JSON.stringify(inputs)}`);
}

it("binds the link's local address to sourceAddress and reports it as the link's local host", async () => {
  const inputs: EngineInput[] = [];
  const pool = new LinkPool({ deliver: (i) => inputs.push(i), now: Date.now, sourceAddress: "127.0.0.77" });
  try {
    const up = await linkUp(pool, inputs);
    expect(up.localHost).toBe("127.0.0.77");
    expect(peers.at(-1)).toBe("127.0.0.77");
  } finally {
    pool.closeAll();
  }
});

it("without sourceAddress the kernel picks the address, as before", async () => {
  const inputs: EngineInput[] = [];
  const pool = new LinkPool({ deliver: (i) => inputs.push(i), now: Date.now });
  try {
    const up = await linkUp(pool, inputs);
    expect(up.localHost).toBe("127.0.0.1");
  } finally {
    pool.closeAll();
  }
});

it("PINGs go out from the source address too, and a refused connection is a link-down with the reason", async () => {
  const inputs: EngineInput[] = [];
  const pool = new LinkPool({ deliver: (i) => inputs.push(i), now: Date.now, sourceAddress: "127.0.0.78" });
  try {
    const up = await linkUp(pool, inputs);
    pool.ping({ kind: "ping", addr: up.addr });
    for (let i = 0; i < 200 && !inputs.some((x) => x.kind === "ping-reply"); i++) await new Promise((r) => setTimeout(r, 10));
    expect(inputs.find((x) => x.kind === "ping-reply")).toMatchObject({ reply: "PONG" });
    expect(peers.at(-1)).toBe("127.0.0.78");

    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const deadPort = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    pool.connect({ kind: "connect", addr: { host: "127.0.0.1", port: deadPort }, link: "cmd", peer: "instance", clientName: "x", renames: {}, auth: undefined });
    for (let i = 0; i < 200 && !inputs.some((x) => x.kind === "link-down"); i++) await new Promise((r) => setTimeout(r, 10));
    const down = inputs.find((x) => x.kind === "link-down") as Extract<EngineInput, { kind: "link-down" }>;
    expect(down.addr.port).toBe(deadPort);
    expect(down.error).toContain("ECONNREFUSED");
  } finally {
    pool.closeAll();
  }
});
