// Many cheap fake Redis instances in one Node process, for bench/many-masters: each master and its
// one replica listen on their own port and answer what a sentinel sends them (PING, INFO, CLIENT
// SETNAME, CONFIG GET/SET min-replicas-*, SUBSCRIBE / PUBLISH on the hello channel) the way redis-server 7.0 does, with a real
// INFO text (fake-redis-info.txt, captured from redis-server 7.0.15) so that parsing costs what it
// costs against Redis. Optional fake peer sentinels answer PING / PUBLISH, and publish their own
// hellos for every master on the master's and the replica's hello channel every 2 s (spread over
// the period, like real sentinels), so the daemon under test pays for peers too.
//
// Run as a child process: `node fake-redis-farm.mjs '<json spec>'`, spec
// `{ masters, firstPort, lastPort, peers, replicas (0 or 1), prefix }`. It binds masters and replicas to free ports
// in [firstPort, lastPort), prints one JSON line `{ masters: [{ name, port, replicaPort }], peers:
// [port] }` on stdout when listening, and then runs until killed. Anything unexpected is counted and
// printed on stderr every 10 s (a silent fake would measure the wrong thing).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const spec = JSON.parse(process.argv[2]);
const TEMPLATE = readFileSync(join(import.meta.dirname, "fake-redis-info.txt"), "utf8").split("\n");
const CHANNEL = "__sentinel__:hello";
const cpuAt = TEMPLATE.indexOf("# CPU");
const unexpected = new Map();
const note = (what) => unexpected.set(what, (unexpected.get(what) ?? 0) + 1);

const bulk = (s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const runId = () => randomBytes(20).toString("hex");
/** Replication offset, moving like a master taking a trickle of writes. */
const offset = () => 1000 + Math.floor(Date.now() / 10);

function infoText(inst) {
  const repl =
    inst.role === "master"
      ? ["# Replication", "role:master", ...(inst.replica ? ["connected_slaves:1", `slave0:ip=127.0.0.1,port=${inst.replica.port},state=online,offset=${offset()},lag=0`] : ["connected_slaves:0"])]
      : ["# Replication", "role:slave", "master_host:127.0.0.1", `master_port:${inst.master.port}`, "master_link_status:up", "master_last_io_seconds_ago:0", "master_sync_in_progress:0", `slave_read_repl_offset:${offset()}`, `slave_repl_offset:${offset()}`, "slave_priority:100", "slave_read_only:1", "replica_announced:1", "connected_slaves:0"];
  repl.push("master_failover_state:no-failover", `master_replid:${inst.replid}`, "master_replid2:0000000000000000000000000000000000000000", `master_repl_offset:${offset()}`, "second_repl_offset:-1", "repl_backlog_active:1", "repl_backlog_size:1048576", "repl_backlog_first_byte_offset:1", `repl_backlog_histlen:${offset()}`, "");
  const lines = [...TEMPLATE.slice(0, cpuAt), ...repl, ...TEMPLATE.slice(cpuAt)];
  return lines.join("\r\n").replace("{RUN_ID}", inst.runId).replace("{PORT}", String(inst.port)).replace("{PID}", String(process.pid));
}

/** RESP arrays of bulk strings (what clients send); inline commands for redis-cli-style probes. */
function* commands(conn, chunk) {
  conn.buf = conn.buf.length ? Buffer.concat([conn.buf, chunk]) : chunk;
  let at = 0;
  const b = conn.buf;
  for (;;) {
    if (at >= b.length) break;
    if (b[at] !== 42 /* '*' */) {
      const eol = b.indexOf("\r\n", at);
      if (eol < 0) break;
      yield b.toString("latin1", at, eol).trim().split(/\s+/);
      at = eol + 2;
      continue;
    }
    const eol = b.indexOf("\r\n", at);
    if (eol < 0) break;
    const n = Number(b.toString("latin1", at + 1, eol));
    let p = eol + 2;
    const args = [];
    let complete = true;
    for (let i = 0; i < n; i++) {
      const e = b.indexOf("\r\n", p);
      if (e < 0) {
        complete = false;
        break;
      }
      const len = Number(b.toString("latin1", p + 1, e));
      if (e + 2 + len + 2 > b.length) {
        complete = false;
        break;
      }
      args.push(b.toString("utf8", e + 2, e + 2 + len));
      p = e + 2 + len + 2;
    }
    if (!complete) break;
    yield args;
    at = p;
  }
  conn.buf = at >= b.length ? Buffer.alloc(0) : b.subarray(at);
}

function reply(inst, conn, args) {
  const name = (args[0] ?? "").toUpperCase();
  switch (name) {
    case "PING":
      return conn.subscribed ? "*2\r\n$4\r\npong\r\n$0\r\n\r\n" : "+PONG\r\n";
    case "INFO":
      if (inst.role === "sentinel") break;
      return bulk(infoText(inst));
    case "CLIENT":
    case "AUTH":
      return "+OK\r\n";
    case "SUBSCRIBE":
      conn.subscribed = true;
      inst.subscribers.add(conn);
      return `*3\r\n$9\r\nsubscribe\r\n${bulk(args[1] ?? "")}:1\r\n`;
    case "PUBLISH": {
      if (args[1] !== CHANNEL) break;
      const msg = `*3\r\n$7\r\nmessage\r\n${bulk(CHANNEL)}${bulk(args[2] ?? "")}`;
      for (const s of inst.subscribers) s.socket.write(msg);
      return `:${inst.subscribers.size}\r\n`;
    }
    case "CONFIG":
      // Vigil reads min-replicas-* (stale-master fencing) once per master; redis-server's defaults.
      if ((args[1] ?? "").toUpperCase() === "GET" && args[2] === "min-replicas-*") return `*4\r\n${bulk("min-replicas-to-write")}${bulk("0")}${bulk("min-replicas-max-lag")}${bulk("10")}`;
      if ((args[1] ?? "").toUpperCase() === "SET") return "+OK\r\n";
      break;
    case "SENTINEL":
      // A peer asked whether the master is down: never, from here.
      if ((args[1] ?? "").toLowerCase() === "is-master-down-by-addr") return `*3\r\n:0\r\n${bulk("*")}:0\r\n`;
      break;
  }
  note(`${inst.role} ${name}`);
  return `-ERR unknown command '${args[0]}'\r\n`;
}

function serve(inst) {
  return createServer({ noDelay: true }, (socket) => {
    const conn = { socket, buf: Buffer.alloc(0), subscribed: false };
    socket.on("data", (chunk) => {
      let out = "";
      for (const args of commands(conn, chunk)) out += reply(inst, conn, args);
      if (out) socket.write(out);
    });
    socket.on("error", () => {});
    socket.on("close", () => inst.subscribers.delete(conn));
  });
}

/** Listen on the next free port from `next.port`; resolves with the port. */
async function listenNext(server, next) {
  for (;;) {
    if (next.port >= spec.lastPort) throw new Error(`no free port left below ${spec.lastPort}`);
    const port = next.port++;
    const ok = await new Promise((resolve) => {
      server.once("error", () => resolve(false));
      server.listen({ port, host: "127.0.0.1", backlog: 64 }, () => resolve(true));
    });
    if (ok) return port;
  }
}

const next = { port: spec.firstPort };
const instance = (role, extra) => ({ role, runId: runId(), replid: runId(), subscribers: new Set(), port: 0, ...extra });
const peers = [];
for (let i = 0; i < (spec.peers ?? 0); i++) {
  const p = instance("sentinel");
  p.port = await listenNext(serve(p), next);
  peers.push(p);
}
const masters = [];
for (let i = 0; i < spec.masters; i++) {
  const m = instance("master", { name: `${spec.prefix ?? "m"}${i}` });
  m.port = await listenNext(serve(m), next);
  if ((spec.replicas ?? 1) > 0) {
    m.replica = instance("replica", { master: m });
    m.replica.port = await listenNext(serve(m.replica), next);
  }
  masters.push(m);
}

// Every peer publishes a hello for every master on the master's and its replica's channel every
// 2 s: one tenth of the masters every 200 ms, like sentinels whose 2 s timers are not aligned.
if (peers.length > 0) {
  let slice = 0;
  setInterval(() => {
    for (let i = slice; i < masters.length; i += 10) {
      const m = masters[i];
      for (const p of peers) {
        const hello = `127.0.0.1,${p.port},${p.runId},0,${m.name},127.0.0.1,${m.port},0`;
        const msg = `*3\r\n$7\r\nmessage\r\n${bulk(CHANNEL)}${bulk(hello)}`;
        for (const inst of m.replica ? [m, m.replica] : [m]) for (const s of inst.subscribers) s.socket.write(msg);
      }
    }
    slice = (slice + 1) % 10;
  }, 200);
}

setInterval(() => {
  if (unexpected.size === 0) return;
  process.stderr.write(`fake-redis-farm: unexpected commands ${JSON.stringify(Object.fromEntries(unexpected))}\n`);
  unexpected.clear();
}, 10_000).unref();

process.stdout.write(`${JSON.stringify({ masters: masters.map((m) => ({ name: m.name, port: m.port, replicaPort: m.replica?.port })), peers: peers.map((p) => p.port) })}\n`);
