#!/usr/bin/env node
// bench/ping-cost — CPU per PING round trip from Node to redis-server, through Vigil's link client
// (`RespLink`, what the link pool sends with), through ioredis (`call("PING")`, what it used before)
// and through a bare node:net socket. It is the floor under a
// Node sentinel's steady-state CPU: pings per second × this cost (see docs/performance.md).
// 100 connections, 20000 PINGs per variant, alternating variants, a discarded warm-up round, then 3
// rounds; CPU from process.cpuUsage(). The PINGs of the 100 connections are in flight together, so
// one wake-up serves many replies: a sentinel's pings, spread over time, cost at least this much.
import { createConnection } from "node:net";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { RespLink } from "../packages/transport-redis/dist/links/resp-link.js";
import { freePorts, runMain, startRedis } from "./lib/procs.mjs";
import { fmt, heading, machineLine, median, parseFlags, say, table } from "./lib/report.mjs";

const USAGE = "usage: node bench/ping-cost.mjs [--pings N] [--links L] [--rounds R]\n";
const opts = parseFlags(process.argv.slice(2), { pings: 20000, links: 100, rounds: 3, quick: false }, USAGE);

function ioredisLink(port) {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, enableReadyCheck: false, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  r.on("error", () => {});
  return r.connect().then(() => ({ ping: () => r.call("PING"), close: () => r.disconnect() }));
}

function respLink(port) {
  return new Promise((ok, fail) => {
    const l = new RespLink({ host: "127.0.0.1", port, connectTimeoutMs: 2000 }, () => ok({ ping: () => new Promise((r) => l.send(["PING"], r)), close: () => l.close() }), (why) => fail(new Error(why)));
  });
}

function rawLink(port) {
  return new Promise((ok, fail) => {
    const s = createConnection({ port, host: "127.0.0.1" }, () => {
      s.setNoDelay(true);
      const waiting = [];
      s.on("data", (d) => {
        for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) waiting.shift()?.();
      });
      ok({
        ping: () =>
          new Promise((r) => {
            waiting.push(r);
            s.write("*1\r\n$4\r\nPING\r\n");
          }),
        close: () => s.destroy(),
      });
    });
    s.once("error", fail);
  });
}

async function measure(make, port) {
  const links = await Promise.all(Array.from({ length: opts.links }, () => make(port)));
  const rounds = Math.ceil(opts.pings / opts.links);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await Promise.all(links.map((l) => l.ping()));
  const c = process.cpuUsage(c0);
  const n = rounds * opts.links;
  for (const l of links) l.close();
  return { us: (c.user + c.system) / n, user: c.user / n, sys: c.system / n, wall: performance.now() - t0 };
}

async function main() {
  heading("bench/ping-cost");
  say(machineLine());
  const [port] = await freePorts(1);
  await startRedis(port);
  const variants = { "Vigil RespLink": respLink, "ioredis call(PING)": ioredisLink, "node:net socket": rawLink };
  const res = {};
  // A discarded round first: V8 optimises both paths before anything is counted.
  for (const make of Object.values(variants)) await measure(make, port);
  for (let r = 0; r < opts.rounds; r++) {
    for (const [name, make] of Object.entries(variants)) {
      const m = await measure(make, port);
      (res[name] ??= []).push(m);
      say(`round ${r + 1} ${name.padEnd(20)} ${fmt(m.us, 1)} µs CPU per PING (user ${fmt(m.user, 1)}, sys ${fmt(m.sys, 1)})`);
    }
  }
  heading(`CPU per PING round trip (median of ${opts.rounds}; ${opts.links} connections, ${opts.pings} PINGs)`);
  say(
    table(
      ["client", "µs CPU / PING", "user µs", "sys µs", "CPU s/min at 4000 PING/s (200 masters + 200 replicas, 10 Hz)", "at 400 PING/s (1 Hz)"],
      Object.entries(res).map(([name, ms]) => {
        const us = median(ms.map((m) => m.us));
        return [name, fmt(us, 1), fmt(median(ms.map((m) => m.user)), 1), fmt(median(ms.map((m) => m.sys)), 1), fmt((us * 4000 * 60) / 1e6, 1), fmt((us * 400 * 60) / 1e6, 2)];
      }),
    ),
  );
  return 0;
}

await runMain(main);
