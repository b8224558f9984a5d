import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../src/resp/reply.js";
import type { RespServer } from "../src/server/types.js";
import { startServer } from "./fixtures/our-server.js";
import { command, RawConnection, rawExchange } from "./fixtures/raw-client.js";
import { type RealSentinel, startRealSentinel } from "./fixtures/real-sentinel.js";
import { decodeAllReplies } from "./fixtures/reply-decoder.js";

/**
 * The real `redis-sentinel` is the oracle: each case sends the same bytes to it and to our server
 * on fresh connections and compares the bytes that come back (and whether the connection was
 * closed). Only client ids are normalised. The suite fails — it does not skip — when the
 * binary is missing.
 */

let real: RealSentinel;
let ours: RespServer;
let ourPort: number;

beforeAll(async () => {
  real = await startRealSentinel();
  const started = await startServer({ dialect: "redis-7.0" });
  ours = started.server;
  ourPort = started.port;
});

afterAll(async () => {
  await ours?.close();
  await real?.stop();
});

/** HELLO's `id` value and CLIENT ID differ between servers by construction. */
function normalise(bytes: Buffer): string {
  return bytes
    .toString("latin1")
    .replace(/(\$2\r\nid\r\n):\d+\r\n/g, "$1:<id>\r\n")
    .replace(/(^|\r\n):\d+\r\n(?=$)/g, "$1:<n>\r\n");
}

interface Outcome {
  readonly text: string;
  readonly closed: boolean;
}

/** Asks the oracle first (until it goes quiet), then ours for the same number of bytes. */
async function both(payload: Buffer | string, quietMs = 150): Promise<[Outcome, Outcome]> {
  const theirs = await rawExchange(real.port, payload, { quietMs });
  const replies = theirs.bytes.length === 0 ? 0 : decodeAllReplies(theirs.bytes).length;
  const mine = await rawExchange(ourPort, payload, replies > 0 && !theirs.closed ? { replies, timeoutMs: 2000 } : { quietMs });
  return [
    { text: normalise(theirs.bytes), closed: theirs.closed },
    { text: normalise(mine.bytes), closed: mine.closed },
  ];
}

const CASES: [string, string][] = [
  ["PING", "PING\r\n"],
  ["PING with message", "PING hello\r\n"],
  ["PING arity", "ping a b\r\n"],
  ["multibulk PING", "*1\r\n$4\r\nPING\r\n"],
  ["unknown command with args", "foo a b\r\n"],
  ["unknown command without args", "GET\r\n"],
  ["QUIT is unknown in sentinel mode", "quit\r\n"],
  ["unknown command, long args truncated", `foo ${"b".repeat(50)} ${"b".repeat(50)} ${"b".repeat(50)} ${"b".repeat(50)}\r\n`],
  ["unknown command, long name truncated", `${"a".repeat(200)} x\r\n`],
  ["unknown command, CR/LF/NUL in args", "*3\r\n$3\r\nf\0o\r\n$3\r\na\r\n\r\n$3\r\na\0b\r\n"],
  ["unknown command, binary args", "*2\r\n$3\r\nfoo\r\n$2\r\n\xff\xfe\r\n"],
  ["empty command name", "*1\r\n$0\r\n\r\n"],
  ["unknown subcommand", "client foo\r\n"],
  ["unknown SENTINEL subcommand", "sentinel foo\r\n"],
  ["unknown COMMAND subcommand", "command foo\r\n"],
  ["unknown ACL subcommand", "acl foo\r\n"],
  ["container arity", "client\r\n"],
  ["sentinel arity", "sentinel\r\n"],
  ["subcommand arity", "CLIENT SETNAME\r\n"],
  ["subcommand arity (exact)", "CLIENT SETNAME a b\r\n"],
  ["ROLE arity", "ROLE x\r\n"],
  ["PUBLISH arity", "PUBLISH\r\n"],
  ["invalid multibulk length", "*abc\r\n"],
  ["multibulk length over INT_MAX", "*2147483648\r\n"],
  ["multibulk length with +", "*+1\r\n$4\r\nPING\r\n"],
  ["multibulk length -0", "*-0\r\n"],
  ["negative multibulk length is a no-op", "*-5\r\nPING\r\n"],
  ["zero multibulk length is a no-op", "*0\r\nPING\r\n"],
  ["expected $", "*1\r\nx\r\n"],
  ["expected $ (newline shown as space)", "*1\r\n\n$4\r\nPING\r\n"],
  ["negative bulk length", "*1\r\n$-1\r\n"],
  ["bulk length over proto-max-bulk-len", "*1\r\n$536870913\r\n"],
  ["bulk length with leading zero", "*01\r\n$04\r\nPING\r\n"],
  ["non-numeric bulk length", "*1\r\n$ab\r\n"],
  ["bulk trailer is not checked", "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"],
  ["error after a good command", "*1\r\n$4\r\nPING\r\n*x\r\n"],
  ["partial frame waits", "*1\r\n$4\r\nping"],
  ["NUL hides the newline", "PING\0\r\n"],
  ["unbalanced double quote", 'PING "a\r\n'],
  ["closing quote followed by a char", 'PING "a"b\r\n'],
  ["unbalanced single quote", "PING 'a\r\n"],
  ["single-quote escape", "PING 'a\\'b'\r\n"],
  ["blank lines", "\r\n\r\nPING\n"],
  ["vertical tab inside a token", "PING a\vb\r\n"],
  ["hex and newline escapes", 'PING "\\x41\\n"\r\n'],
  ["incomplete hex escape", 'PING "\\x4"\r\n'],
  ["empty quoted argument", 'PING ""\r\n'],
  ["HTTP POST is dropped silently", "PING\r\nPOST / HTTP/1.1\r\nPING\r\n"],
  ["Host: header is dropped silently", "Host: foo\r\n"],
  ["HELLO without version", "HELLO\r\n"],
  ["HELLO 3", "HELLO 3\r\n"],
  ["HELLO 4", "HELLO 4\r\n"],
  ["HELLO 1", "HELLO 1\r\n"],
  ["HELLO non-integer", "HELLO abc\r\n"],
  ["HELLO AUTH missing args", "HELLO 3 AUTH\r\n"],
  ["HELLO AUTH without password configured", "HELLO 3 AUTH a b\r\n"],
  ["HELLO SETNAME", "HELLO 3 SETNAME foo\r\nCLIENT GETNAME\r\n"],
  ["HELLO bad SETNAME keeps RESP2", 'HELLO 3 SETNAME "a b"\r\nHELLO\r\n'],
  ["HELLO unknown option", "HELLO 3 FOO\r\n"],
  ["HELLO SETNAME twice", "HELLO 2 SETNAME x SETNAME y\r\nCLIENT GETNAME\r\n"],
  ["AUTH without password configured", "AUTH x\r\n"],
  ["AUTH unknown user", "AUTH x y\r\n"],
  ["AUTH default with nopass", "AUTH default x\r\n"],
  ["AUTH arity", "AUTH\r\n"],
  ["AUTH too many args", "AUTH a b c\r\n"],
  ["CLIENT GETNAME unset", "CLIENT GETNAME\r\n"],
  ["CLIENT SETNAME / GETNAME / clear", 'CLIENT SETNAME foo\r\nCLIENT GETNAME\r\nCLIENT SETNAME ""\r\nCLIENT GETNAME\r\n'],
  ["CLIENT SETNAME invalid", "CLIENT SETNAME a\x01\r\n"],
  [
    "CLIENT KILL and LIST argument errors",
    "CLIENT KILL 1.2.3.4:5\r\nCLIENT KILL ID 99999\r\nCLIENT KILL ID abc\r\nCLIENT KILL TYPE foo\r\nCLIENT KILL TYPE normal SKIPME yes\r\nCLIENT KILL USER nobody\r\nCLIENT KILL FOO bar\r\nCLIENT KILL ADDR\r\nCLIENT KILL SKIPME maybe\r\nCLIENT KILL LADDR 1.2.3.4:5\r\nCLIENT KILL a b c\r\nCLIENT LIST TYPE foo\r\nCLIENT LIST ID 1 abc\r\nCLIENT LIST ID\r\nCLIENT LIST foo\r\nCLIENT LIST TYPE pubsub\r\nCLIENT LIST ID 1000000 2000000\r\nCLIENT KILL TYPE master\r\nCLIENT KILL TYPE slave\r\nCLIENT KILL TYPE replica\r\n",
  ],
  ["CLIENT KILL self", "CLIENT KILL TYPE normal SKIPME no\r\nPING\r\n"],
  [
    "CLIENT misc",
    "CLIENT PAUSE 1 ALL x\r\nCLIENT PAUSE 1 foo\r\nCLIENT PAUSE -1\r\nCLIENT PAUSE x\r\nCLIENT CACHING yes x\r\nCLIENT CACHING yes\r\nCLIENT UNBLOCK 1 foo\r\nCLIENT UNBLOCK x\r\nCLIENT UNBLOCK 1\r\nCLIENT NO-EVICT maybe\r\nCLIENT NO-EVICT on\r\nCLIENT TRACKINGINFO\r\nCLIENT GETREDIR\r\nCLIENT TRACKING on\r\nCLIENT TRACKINGINFO\r\nCLIENT GETREDIR\r\nCLIENT TRACKING on optin optout\r\nCLIENT TRACKING on bcast\r\nCLIENT TRACKING on prefix a\r\nCLIENT TRACKING maybe\r\nCLIENT TRACKING off\r\nCLIENT TRACKING on bcast prefix a prefix ab\r\nCLIENT TRACKING on bcast optin\r\nCLIENT TRACKING on redirect 99999999\r\nCLIENT TRACKING off\r\nCLIENT TRACKING on optin\r\nCLIENT CACHING no\r\nCLIENT CACHING yes\r\nCLIENT TRACKINGINFO\r\nHELLO 3\r\nCLIENT TRACKINGINFO\r\n",
  ],
  ["CLIENT REPLY", "CLIENT REPLY OFF\r\nPING\r\nFOO\r\nCLIENT REPLY ON\r\nCLIENT REPLY SKIP\r\nPING\r\nPING 2\r\nCLIENT REPLY foo\r\n"],
  ["CLIENT REPLY OFF keeps Pub/Sub confirmations", "CLIENT REPLY OFF\r\nSUBSCRIBE a\r\nPING\r\nUNSUBSCRIBE a\r\nCLIENT REPLY ON\r\n"],
  ["CLIENT REPLY OFF keeps RESP3 pushes", "HELLO 3\r\nCLIENT REPLY OFF\r\nSUBSCRIBE a\r\nPING\r\nCLIENT REPLY ON\r\n"],
  [
    "SUBSCRIBE confirmations and RESP2 context",
    // One channel only: UNSUBSCRIBE-all walks Redis's dict in hash order.
    "SUBSCRIBE a\r\nPING\r\nPING x\r\nCLIENT ID\r\nSUBSCRIBE a\r\nSUBSCRIBE b\r\nUNSUBSCRIBE b\r\nPSUBSCRIBE p*\r\nUNSUBSCRIBE\r\nPUNSUBSCRIBE\r\nUNSUBSCRIBE\r\nPUNSUBSCRIBE x\r\nPING\r\n",
  ],
  ["UNSUBSCRIBE without subscriptions", "UNSUBSCRIBE\r\nPUNSUBSCRIBE\r\nUNSUBSCRIBE x y\r\n"],
  ["RESP3 Pub/Sub pushes", "HELLO 3\r\nSUBSCRIBE a\r\nPING\r\nCLIENT GETNAME\r\nUNSUBSCRIBE\r\nUNSUBSCRIBE\r\nPSUBSCRIBE x\r\n"],
  ["SUBSCRIBE arity", "SUBSCRIBE\r\nPSUBSCRIBE\r\n"],
  ["errors while subscribed", "SUBSCRIBE a\r\nFOO\r\nPING a b\r\nHELLO 3\r\n"],
  ["SHUTDOWN argument errors", "SHUTDOWN ABORT\r\nSHUTDOWN foo\r\nSHUTDOWN ABORT NOSAVE\r\nSHUTDOWN SAVE NOSAVE\r\n"],
  ["COMMAND COUNT", "COMMAND COUNT\r\n"],
  ["COMMAND INFO ping", "COMMAND INFO ping\r\n"],
  ["COMMAND INFO ping (RESP3)", "HELLO 3\r\nCOMMAND INFO PING\r\n"],
  ["COMMAND INFO unknown and subcommand", "COMMAND INFO foo client|setname client|nope ping|x\r\nHELLO 3\r\nCOMMAND INFO foo\r\n"],
  ["COMMAND INFO sentinel subcommand", "COMMAND INFO sentinel|get-master-addr-by-name sentinel|debug\r\n"],
  ["COMMAND DOCS ping", "COMMAND DOCS ping\r\n"],
  ["COMMAND DOCS (RESP3, unknown skipped)", "HELLO 3\r\nCOMMAND DOCS ping nope\r\n"],
  ["COMMAND DOCS sentinel|set", "COMMAND DOCS sentinel|set\r\n"],
  ["COMMAND GETKEYS", "COMMAND GETKEYS ping\r\nCOMMAND GETKEYS foo\r\nCOMMAND GETKEYS\r\nCOMMAND GETKEYSANDFLAGS ping\r\nCOMMAND GETKEYS ping a\r\nCOMMAND GETKEYS foo a\r\nCOMMAND GETKEYS sentinel x y\r\n"],
  ["COMMAND HELP", "COMMAND HELP\r\n"],
  ["COMMAND LIST errors and filters", "COMMAND LIST FILTERBY PATTERN zzz\r\nCOMMAND LIST FILTERBY foo x\r\nCOMMAND LIST FILTERBY ACLCAT nope\r\nCOMMAND LIST x\r\nCOMMAND LIST FILTERBY MODULE x\r\nCOMMAND LIST FILTERBY PATTERN\r\nCOMMAND LIST FILTERBY PATTERN p?ng\r\n"],
  ["ACL HELP", "ACL HELP\r\n"],
  ["ACL CAT", "ACL CAT\r\nACL CAT foo\r\n"],
  ["ACL LOAD/SAVE/GENPASS errors", "ACL LOAD\r\nACL SAVE\r\nACL GENPASS 0\r\nACL GENPASS 4097\r\nACL GENPASS x\r\n"],
  ["ACL DRYRUN", "ACL DRYRUN default ping\r\nACL DRYRUN nobody ping\r\nACL DRYRUN default foo\r\nACL DRYRUN default ping a b\r\nACL DRYRUN default client\r\n"],
  ["ACL WHOAMI / GETUSER", "ACL WHOAMI\r\nACL WHOAMI x\r\nACL GETUSER default\r\nACL GETUSER nobody\r\nACL SETUSER \"a b\"\r\n"],
];

describe("byte-for-byte against redis-sentinel", () => {
  it.each(CASES)("%s", async (_name, payload) => {
    const [theirs, mine] = await both(payload);
    expect(mine).toEqual(theirs);
  });

  it("stateful ACL SETUSER / LIST / DELUSER sequence", async () => {
    const seq =
      "ACL SETUSER vx\r\nACL LIST\r\nACL SETUSER vx on >p ~* &* +@all\r\nACL LIST\r\nACL GETUSER vx\r\nACL SETUSER vx foo\r\nACL SETUSER vx +get\r\nACL SETUSER vx #abc\r\nACL SETUSER vx <nope\r\nACL SETUSER vx ~a\r\nACL SETUSER vx &a\r\nACL SETUSER vx reset\r\nACL LIST\r\nACL SETUSER vy on nopass\r\nACL USERS\r\nAUTH vy whatever\r\nPING\r\nACL WHOAMI\r\nAUTH default x\r\nACL DELUSER default\r\nACL DELUSER vx vy nobody\r\nACL LIST\r\n";
    const [theirs, mine] = await both(seq);
    expect(mine).toEqual(theirs);
  });

  it("HELLO 3 has exactly Sentinel's six keys", async () => {
    const keys = async (port: number): Promise<string[]> => {
      const r = decodeAllReplies((await rawExchange(port, "HELLO 3\r\n", { replies: 1 })).bytes)[0]!;
      return r.kind === "map" ? r.entries.map(([k]) => String((k as { value: string }).value)) : [];
    };
    const theirs = await keys(real.port);
    expect(theirs).toEqual(["server", "version", "proto", "id", "mode", "modules"]);
    expect(await keys(ourPort)).toEqual(theirs);
  });

  it("CLIENT HELP is 7.0's text, without 7.2's SETINFO", async () => {
    const lines = async (port: number): Promise<string[]> => {
      const r = decodeAllReplies((await rawExchange(port, "CLIENT HELP\r\n", { replies: 1 })).bytes)[0]!;
      return r.kind === "array" ? r.items.map((i) => String((i as { value: string }).value)) : [];
    };
    const theirs = await lines(real.port);
    const mine = await lines(ourPort);
    expect(mine).toEqual(theirs);
  });

  it("CLIENT INFO has Redis 7.0's fields (no lib-name/lib-ver)", async () => {
    const field = (bytes: Buffer): string[] => {
      const r = decodeAllReplies(bytes)[0]!;
      const line = r.kind === "bulk" || r.kind === "verbatim" ? String(r.value) : "";
      return line.trim().split(" ").map((kv) => kv.split("=")[0]!);
    };
    const theirs = field((await rawExchange(real.port, "CLIENT INFO\r\n", { replies: 1 })).bytes);
    const mine = field((await rawExchange(ourPort, "CLIENT INFO\r\n", { replies: 1 })).bytes);
    expect(mine).toEqual(theirs);
  });
});

const nameOf = (r: Reply | undefined): string =>
  r === undefined ? "" : r.kind === "bulk" ? String(r.value) : r.kind === "array" ? nameOf(r.items[0]) : "";
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** COMMAND / COMMAND INFO entries: sort the entries and each entry's subcommands (index 9). */
function canonicalInfo(reply: Reply): unknown {
  if (reply.kind !== "array") return reply;
  const entry = (e: Reply): Reply => {
    if (e.kind !== "array" || e.items.length < 10) return e;
    const subs = e.items[9]!;
    const sorted =
      subs.kind === "array" || subs.kind === "set"
        ? { ...subs, items: [...subs.items].sort((a, b) => byName(nameOf(a), nameOf(b))) }
        : subs;
    return { kind: "array", items: [...e.items.slice(0, 9), sorted] };
  };
  return reply.items.map(entry).sort((a, b) => byName(nameOf(a), nameOf(b)));
}

/** Key/value pairs of a map, or of a RESP2 flat array standing for one. */
function pairs(r: Reply): [Reply, Reply][] {
  if (r.kind === "map") return r.entries.map(([k, v]) => [k, v]);
  if (r.kind !== "array") return [];
  const out: [Reply, Reply][] = [];
  for (let i = 0; i + 1 < r.items.length; i += 2) out.push([r.items[i]!, r.items[i + 1]!]);
  return out;
}

/** COMMAND DOCS: sort the commands and each `subcommands` map, whichever protocol encoded them. */
function canonicalDocs(reply: Reply): unknown {
  const sortPairs = (ps: [Reply, Reply][]): [string, unknown][] =>
    ps
      .map(([k, v]): [string, unknown] => [nameOf(k), doc(v)])
      .sort((a, b) => byName(a[0], b[0]));
  const doc = (d: Reply): unknown => pairs(d).map(([k, v]) => (nameOf(k) === "subcommands" ? ["subcommands", sortPairs(pairs(v))] : [k, v]));
  return sortPairs(pairs(reply));
}

describe("command table against redis-sentinel (order-insensitive)", () => {
  for (const proto of [2, 3] as const) {
    for (const cmd of [["COMMAND"], ["COMMAND", "DOCS"], ["COMMAND", "INFO"]]) {
      const canonical = cmd[1] === "DOCS" ? canonicalDocs : canonicalInfo;
      it(`${cmd.join(" ")} (RESP${proto})`, async () => {
        const payload = Buffer.concat([proto === 3 ? command("HELLO", "3") : Buffer.alloc(0), command(...cmd)]);
        const n = proto === 3 ? 2 : 1;
        const theirs = decodeAllReplies((await rawExchange(real.port, payload, { replies: n })).bytes);
        const mine = decodeAllReplies((await rawExchange(ourPort, payload, { replies: n })).bytes);
        expect(canonical(mine[n - 1]!)).toEqual(canonical(theirs[n - 1]!));
      });
    }
  }

  it("COMMAND LIST and ACL CAT <category> name the same commands", async () => {
    for (const cmd of [["COMMAND", "LIST"], ["ACL", "CAT", "connection"], ["ACL", "CAT", "admin"], ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "slow"]]) {
      const names = async (port: number): Promise<string[]> => {
        const r = decodeAllReplies((await rawExchange(port, command(...cmd), { replies: 1 })).bytes)[0]!;
        return r.kind === "array" ? r.items.map((i) => String((i as { value: string }).value)).sort() : [];
      };
      expect(await names(ourPort), cmd.join(" ")).toEqual(await names(real.port));
    }
  });
});

describe("Pub/Sub delivery against redis-sentinel", () => {
  for (const proto of [2, 3] as const) {
    it(`message and pmessage (RESP${proto})`, async () => {
      const setup = `${proto === 3 ? "HELLO 3\r\n" : ""}SUBSCRIBE +set\r\nPSUBSCRIBE +s*\r\n`;
      const payload = "master m 127.0.0.1 6399 quorum 1";
      const listen = async (port: number, trigger: () => Promise<void>): Promise<string> => {
        const c = await RawConnection.open(port);
        const head = await c.send(setup, proto === 3 ? 3 : 2);
        await trigger();
        const messages = await c.read(2);
        c.close();
        return Buffer.concat([head, messages]).toString("latin1").replace(/:\d+\r\n(\$4\r\nmode)/, ":<id>\r\n$1");
      };
      const theirs = await listen(real.port, async () => {
        await rawExchange(real.port, "SENTINEL SET m quorum 1\r\n", { replies: 1 });
      });
      const mine = await listen(ourPort, async () => {
        ours.publish("+set", payload);
      });
      expect(mine).toEqual(theirs);
    });
  }
});
