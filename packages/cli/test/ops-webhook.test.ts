import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { WebhookSender } from "../src/webhooks/webhook-sender.js";
import { SIGNATURE_HEADER, signBody, verifySignature } from "../src/webhooks/webhook-signature.js";
import { freePort, killAll, sentinelConf, startRedis, startSentinel, tempDir, waitFor } from "./support/processes.js";
import { parsePromText, sampleValue } from "./support/prom-text.js";

interface Hit {
  readonly body: string;
  readonly headers: IncomingMessage["headers"];
}

/** A local receiver: `answer(n)` gives the status for the n-th request (0-based), or "hang". */
async function receiver(answer: (n: number, hit: Hit) => number | "hang"): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const hit = { body: Buffer.concat(chunks).toString("utf8"), headers: req.headers };
      const a = answer(hits.length, hit);
      hits.push(hit);
      if (a === "hang") return;
      res.writeHead(a).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits, server };
}

const servers: Server[] = [];
const senders: WebhookSender[] = [];
afterEach(() => {
  for (const s of senders.splice(0)) s.stop();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});
afterAll(killAll);

function counts() {
  const c = { delivered: 0, failed: 0, retried: 0, dropped: 0, queue: 0 };
  return {
    c,
    observer: {
      delivered: () => c.delivered++,
      failed: () => c.failed++,
      retried: () => c.retried++,
      dropped: () => c.dropped++,
      queueLength: (n: number) => (c.queue = n),
    },
  };
}

const event = (n: number) => ({ type: "+sdown", level: "warning" as const, payload: `master m 10.0.0.${n} 6379`, master: "m" });

describe("vigil-webhook / vigil-webhook-secret directives", () => {
  const load = (text: string) => loadConfig(`sentinel monitor m 127.0.0.1 6379 2\n${text}`, "/x/sentinel.conf");
  it("accept an http(s) URL and a secret", () => {
    const r = load("vigil-webhook https://hooks.example.com/vigil?x=1\nvigil-webhook-secret s3cr3t");
    expect(r.ok && r.config.vigil).toEqual({ webhook: "https://hooks.example.com/vigil?x=1", "webhook-secret": "s3cr3t" });
  });
  it("reject other schemes and garbage with the line number", () => {
    for (const bad of ["vigil-webhook ftp://example.com/", "vigil-webhook not-a-url"]) {
      const r = load(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ line: 2, message: "argument must be an http:// or https:// URL" });
    }
    const empty = load('vigil-webhook-secret ""');
    expect(!empty.ok && empty.error.message).toBe("argument must be a non-empty secret");
  });
});

describe("WebhookSender", () => {
  it("retries with backoff until the receiver accepts, signing every attempt, and keeps order", async () => {
    const r = await receiver((n) => (n < 3 ? 503 : 200));
    const { c, observer } = counts();
    const s = new WebhookSender({ url: r.url, secret: "k3y", sentinelId: "a".repeat(40), baseDelayMs: 20, observer });
    senders.push(s);
    const started = Date.now();
    s.enqueue(event(1), 1_700_000_000_000);
    s.enqueue(event(2));
    s.enqueue(event(3));
    await waitFor(() => r.hits.length === 6, 10000, 10);
    // 20 ms × (1 + 2 + 4) with ±25 % jitter: at least ~105 ms of backoff before the 4th attempt.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    const bodies = r.hits.map((h) => JSON.parse(h.body) as { id: string; type: string; payload: string; master: string; sentinel: string; time: string });
    // The first event four times (same delivery id), then the next two in order.
    expect(bodies.slice(0, 4).map((b) => b.id)).toEqual(Array(4).fill(bodies[0]!.id));
    expect(bodies.slice(3).map((b) => b.payload)).toEqual(["master m 10.0.0.1 6379", "master m 10.0.0.2 6379", "master m 10.0.0.3 6379"]);
    expect(bodies[0]).toMatchObject({ type: "+sdown", master: "m", sentinel: "a".repeat(40), time: "2023-11-14T22:13:20.000Z" });
    for (const h of r.hits) {
      expect(h.headers[SIGNATURE_HEADER]).toBe(signBody("k3y", h.body));
      expect(verifySignature("k3y", h.body, h.headers[SIGNATURE_HEADER] as string)).toBe(true);
      expect(verifySignature("wrong", h.body, h.headers[SIGNATURE_HEADER] as string)).toBe(false);
      expect(h.headers["content-type"]).toBe("application/json");
      expect(h.headers["x-vigil-event"]).toBe("+sdown");
    }
    await waitFor(() => c.delivered === 3, 2000, 10);
    expect(c).toEqual({ delivered: 3, failed: 0, retried: 3, dropped: 0, queue: 0 });
  });

  it("gives up after maxAttempts and counts the failure; a hanging receiver times out", async () => {
    const r = await receiver((n) => (n === 0 ? "hang" : 500));
    const { c, observer } = counts();
    const errors: string[] = [];
    const s = new WebhookSender({ url: r.url, sentinelId: "b".repeat(40), baseDelayMs: 10, maxAttempts: 3, timeoutMs: 200, observer, onError: (m) => errors.push(m) });
    senders.push(s);
    s.enqueue(event(1));
    await waitFor(() => c.failed === 1, 5000, 10);
    expect(r.hits).toHaveLength(3);
    expect(r.hits[0]!.headers[SIGNATURE_HEADER]).toBeUndefined(); // no secret, no signature
    expect(c).toMatchObject({ delivered: 0, failed: 1, retried: 2, queue: 0 });
    expect(errors.at(-1)).toMatch(/giving up on \+sdown .* after 3 attempts/);
    expect(errors.some((e) => /aborted|timeout/i.test(e))).toBe(true);
  });

  it("a hanging receiver times out even when the garbage collector runs during the wait", async () => {
    // Node 20 may collect an AbortSignal.timeout() that only AbortSignal.any() refers to: the request
    // then never times out and the queue stalls behind it.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const r = await receiver((n) => (n === 0 ? "hang" : 200));
    const { c, observer } = counts();
    // 500 ms: long enough that an answering receiver is not cut off on a loaded machine while the
    // collector runs every 50 ms.
    const s = new WebhookSender({ url: r.url, sentinelId: "c".repeat(40), baseDelayMs: 10, maxAttempts: 5, timeoutMs: 500, observer });
    senders.push(s);
    s.enqueue(event(1));
    // A full collection of the test worker's heap takes tens of ms on a loaded machine: often enough
    // to land inside the 500 ms wait, rarely enough to leave the timers room to run.
    const collect = setInterval(gc, 50);
    try {
      // Generous: with the bug the request never times out, so any bound fails it.
      await waitFor(() => c.delivered === 1, 15000, 10);
    } finally {
      clearInterval(collect);
    }
    // The hanging first attempt timed out and a later one was delivered.
    expect(r.hits.length).toBeGreaterThanOrEqual(2);
  });

  it("bounds the queue: the oldest waiting events are dropped and counted", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const r = await receiver(() => 200);
    const { c, observer } = counts();
    // A fetch that waits for the gate, so everything queues behind the first POST.
    const slowFetch: typeof fetch = async (url, init) => {
      await gate;
      return fetch(url, init);
    };
    const s = new WebhookSender({ url: r.url, sentinelId: "c".repeat(40), maxQueue: 3, observer, fetch: slowFetch });
    senders.push(s);
    for (let i = 0; i < 10; i++) s.enqueue(event(i));
    expect(c.dropped).toBe(7);
    expect(s.pending()).toBe(3);
    release();
    await waitFor(() => c.delivered === 3, 5000, 10);
    // The one in flight (0) and the two newest survive.
    expect(r.hits.map((h) => (JSON.parse(h.body) as { payload: string }).payload)).toEqual(["master m 10.0.0.0 6379", "master m 10.0.0.8 6379", "master m 10.0.0.9 6379"]);
  });
});

describe("webhooks from the daemon (real processes)", () => {
  it("posts signed events from `vigil-webhook` and counts deliveries in /metrics", async () => {
    const r = await receiver(() => 200);
    const dir = tempDir("vigil-webhook-");
    const master = await startRedis(await freePort());
    const port = await freePort();
    const httpPort = await freePort();
    const conf = sentinelConf(dir, port, master.port, {
      quorum: 1,
      extra: [`vigil-webhook ${r.url}`, "vigil-webhook-secret hunter2", `vigil-http 127.0.0.1:${httpPort}`],
    });
    await startSentinel("vigil", conf, port);
    await waitFor(() => r.hits.some((h) => h.headers["x-vigil-event"] === "+monitor"), 15000);
    const hit = r.hits.find((h) => h.headers["x-vigil-event"] === "+monitor")!;
    expect(verifySignature("hunter2", hit.body, hit.headers[SIGNATURE_HEADER] as string)).toBe(true);
    expect(JSON.parse(hit.body)).toMatchObject({ type: "+monitor", level: "warning", master: "mymaster", payload: `master mymaster 127.0.0.1 ${master.port} quorum 1` });
    await waitFor(async () => {
      const m = parsePromText(await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text());
      return (sampleValue(m, "vigil_webhook_deliveries_total", { outcome: "delivered" }) ?? 0) >= 1;
    });
  });
});
