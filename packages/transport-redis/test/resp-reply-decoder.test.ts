import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeReply } from "../src/resp/encoder.js";
import { array, bulk, integer, map, NULL, push, type Reply, set, simple, verbatim } from "../src/resp/reply.js";
import { createReplyDecoder, decodeAllReplies, replyFrameLength } from "./fixtures/reply-decoder.js";

/** Replies whose RESP3 encoding decodes back to themselves (no null-array/bool/double corner cases). */
const replyArb: fc.Arbitrary<Reply> = fc.letrec<{ r: Reply }>((tie) => ({
  r: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ unit: "grapheme-ascii" }).map((s) => simple(s.replace(/[\r\n]/g, ""))),
    fc.integer().map((n) => integer(n)),
    fc.string().map((s) => bulk(s)),
    fc.constant(NULL),
    fc.array(tie("r"), { maxLength: 4 }).map((items) => array(items)),
    fc.array(tie("r"), { maxLength: 4 }).map((items) => set(items)),
    fc.array(tie("r"), { maxLength: 4 }).map((items) => push(items)),
    fc.array(fc.tuple(tie("r"), tie("r")), { maxLength: 3 }).map((e) => map(e)),
    fc.string().map((s) => verbatim(s)),
  ),
})).r;

describe("reply decoder", () => {
  it("decodes what the encoder writes (RESP3, property), chunked arbitrarily", () => {
    fc.assert(
      fc.property(fc.array(replyArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 7 }), (replies, step) => {
        const wire = Buffer.concat(replies.map((r) => encodeReply(r, 3)));
        const d = createReplyDecoder();
        const got: Reply[] = [];
        for (let i = 0; i < wire.length; i += step) {
          d.feed(wire.subarray(i, i + step));
          for (let r = d.next(); r; r = d.next()) got.push(r);
        }
        expect(got).toEqual(replies);
      }),
      { numRuns: 200 },
    );
  });

  it("reports frame lengths", () => {
    const wire = Buffer.from("*2\r\n$1\r\na\r\n:1\r\n+OK\r\n");
    expect(replyFrameLength(wire)).toBe(15);
    expect(replyFrameLength(wire, 15)).toBe(5);
    expect(replyFrameLength(wire.subarray(0, 10))).toBeUndefined();
  });

  it("maps RESP2 nulls", () => {
    expect(decodeAllReplies(Buffer.from("$-1\r\n*-1\r\n_\r\n"))).toEqual([NULL, { kind: "null-array" }, NULL]);
  });
});
