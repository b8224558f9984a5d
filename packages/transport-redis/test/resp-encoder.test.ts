import { describe, expect, it } from "vitest";
import { encodeReply, type Protocol } from "../src/resp/encoder.js";
import {
  array,
  boolean,
  bulk,
  bulkArray,
  bulkMap,
  double,
  error,
  integer,
  map,
  NULL,
  NULL_ARRAY,
  OK,
  push,
  type Reply,
  set,
  simple,
  verbatim,
} from "../src/resp/reply.js";

const enc = (r: Reply, p: Protocol): string => encodeReply(r, p).toString("latin1");

/** [name, reply, RESP2 bytes, RESP3 bytes] */
const GOLDEN: [string, Reply, string, string][] = [
  ["simple", simple("PONG"), "+PONG\r\n", "+PONG\r\n"],
  ["OK", OK, "+OK\r\n", "+OK\r\n"],
  ["error", error("ERR boom"), "-ERR boom\r\n", "-ERR boom\r\n"],
  ["integer", integer(42), ":42\r\n", ":42\r\n"],
  ["negative integer", integer(-1), ":-1\r\n", ":-1\r\n"],
  ["bigint", integer(9223372036854775807n), ":9223372036854775807\r\n", ":9223372036854775807\r\n"],
  ["bulk", bulk("hello"), "$5\r\nhello\r\n", "$5\r\nhello\r\n"],
  ["empty bulk", bulk(""), "$0\r\n\r\n", "$0\r\n\r\n"],
  ["utf-8 bulk", bulk("é"), "$2\r\n\xc3\xa9\r\n", "$2\r\n\xc3\xa9\r\n"],
  ["binary bulk", bulk(Buffer.from([0, 0xff, 13, 10])), "$4\r\n\x00\xff\r\n\r\n", "$4\r\n\x00\xff\r\n\r\n"],
  ["null", NULL, "$-1\r\n", "_\r\n"],
  ["null array", NULL_ARRAY, "*-1\r\n", "_\r\n"],
  ["array", array([integer(1), bulk("a")]), "*2\r\n:1\r\n$1\r\na\r\n", "*2\r\n:1\r\n$1\r\na\r\n"],
  ["empty array", array([]), "*0\r\n", "*0\r\n"],
  ["nested array", array([array([NULL])]), "*1\r\n*1\r\n$-1\r\n", "*1\r\n*1\r\n_\r\n"],
  ["map", map([[bulk("k"), integer(1)]]), "*2\r\n$1\r\nk\r\n:1\r\n", "%1\r\n$1\r\nk\r\n:1\r\n"],
  ["bulkMap", bulkMap({ name: "m", port: "6379" }), "*4\r\n$4\r\nname\r\n$1\r\nm\r\n$4\r\nport\r\n$4\r\n6379\r\n", "%2\r\n$4\r\nname\r\n$1\r\nm\r\n$4\r\nport\r\n$4\r\n6379\r\n"],
  ["set", set([simple("fast")]), "*1\r\n+fast\r\n", "~1\r\n+fast\r\n"],
  [
    "push",
    push([bulk("message"), bulk("ch"), bulk("hi")]),
    "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
    ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
  ],
  ["verbatim", verbatim("id=1\n"), "$5\r\nid=1\n\r\n", "=9\r\ntxt:id=1\n\r\n"],
  ["verbatim mkd", verbatim("# x", "mkd"), "$3\r\n# x\r\n", "=7\r\nmkd:# x\r\n"],
  ["double", double(1.5), "$3\r\n1.5\r\n", ",1.5\r\n"],
  ["double inf", double(Number.POSITIVE_INFINITY), "$3\r\ninf\r\n", ",inf\r\n"],
  ["double -inf", double(Number.NEGATIVE_INFINITY), "$4\r\n-inf\r\n", ",-inf\r\n"],
  ["double nan", double(Number.NaN), "$3\r\nnan\r\n", ",nan\r\n"],
  ["true", boolean(true), ":1\r\n", "#t\r\n"],
  ["false", boolean(false), ":0\r\n", "#f\r\n"],
  ["bulkArray", bulkArray(["127.0.0.1", "6379"]), "*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n", "*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n"],
];

describe("encodeReply golden bytes", () => {
  for (const [name, reply, resp2, resp3] of GOLDEN) {
    it(`${name} (RESP2)`, () => expect(enc(reply, 2)).toBe(resp2));
    it(`${name} (RESP3)`, () => expect(enc(reply, 3)).toBe(resp3));
  }

  it("never lets CR/LF break a status or error line (Redis maps them to spaces)", () => {
    expect(enc(simple("a\r\nb"), 2)).toBe("+a  b\r\n");
    expect(enc(error("ERR x\ny"), 3)).toBe("-ERR x y\r\n");
    expect(enc(error(Buffer.from("ERR \r\n\xff", "latin1")), 2)).toBe("-ERR   \xff\r\n");
  });

  it("renders fractional integers as truncated integers instead of an invalid frame", () => {
    expect(enc(integer(2.7), 2)).toBe(":2\r\n");
  });

  it("encodes the Sentinel HELLO map both ways", () => {
    const hello = map([
      [bulk("server"), bulk("redis")],
      [bulk("proto"), integer(3)],
      [bulk("modules"), array([])],
    ]);
    expect(enc(hello, 3)).toBe("%3\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n");
    expect(enc(hello, 2)).toBe("*6\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n");
  });
});
