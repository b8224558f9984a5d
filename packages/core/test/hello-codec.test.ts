import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeHello, decodeHelloOnce, encodeHello, HELLO_MEMO_MAX, type HelloMemo, isHelloRejection } from "../src/codecs/hello-codec.js";
import type { HelloMessage } from "../src/codecs/hello-message.js";

const RUNID = "8f3c0e6a1b2d4c5e6f708192a3b4c5d6e7f80912";
const SAMPLE: HelloMessage = {
  sentinelIp: "127.0.0.1",
  sentinelPort: 26380,
  sentinelRunId: RUNID,
  currentEpoch: 7,
  masterName: "mymaster",
  masterIp: "127.0.0.1",
  masterPort: 6381,
  masterConfigEpoch: 7,
};
const WIRE = `127.0.0.1,26380,${RUNID},7,mymaster,127.0.0.1,6381,7`;

/** Replaces token `i` of the sample payload. */
const withToken = (i: number, value: string): string => {
  const t = WIRE.split(",");
  t[i] = value;
  return t.join(",");
};

const reason = (payload: string): string => {
  const r = decodeHello(payload);
  if (!isHelloRejection(r)) throw new Error(`expected a rejection for ${payload}`);
  return r.reason;
};

describe("encodeHello", () => {
  it("renders the 8 fields of §7.1 in order, comma-separated, no spaces", () => {
    expect(encodeHello(SAMPLE)).toBe(WIRE);
  });

  it("renders IPv6 addresses and hostnames verbatim", () => {
    expect(encodeHello({ ...SAMPLE, sentinelIp: "::1", masterIp: "db.example.com", currentEpoch: 0 })).toBe(
      `::1,26380,${RUNID},0,mymaster,db.example.com,6381,7`,
    );
  });
});

describe("decodeHello", () => {
  it("decodes the spec example", () => {
    expect(decodeHello(WIRE)).toEqual(SAMPLE);
  });

  it("accepts the edge values", () => {
    expect(decodeHello(withToken(1, "0"))).toMatchObject({ sentinelPort: 0 });
    expect(decodeHello(withToken(6, "65535"))).toMatchObject({ masterPort: 65535 });
    expect(decodeHello(withToken(3, "9007199254740991"))).toMatchObject({ currentEpoch: 2 ** 53 - 1 });
    expect(decodeHello(withToken(7, "007"))).toMatchObject({ masterConfigEpoch: 7 });
    expect(decodeHello(withToken(2, "x"))).toMatchObject({ sentinelRunId: "x" });
  });

  it("needs exactly 8 tokens", () => {
    expect(reason(`${WIRE},extra`)).toBe("expected 8 comma-separated fields, got 9");
    expect(reason(WIRE.split(",").slice(0, 7).join(","))).toBe("expected 8 comma-separated fields, got 7");
    expect(reason(withToken(4, "my,master"))).toBe("expected 8 comma-separated fields, got 9");
    expect(reason("")).toBe("expected 8 comma-separated fields, got 1");
  });

  it("rejects bad ports", () => {
    expect(reason(withToken(1, "65536"))).toBe('invalid sentinel port "65536"');
    expect(reason(withToken(1, "-1"))).toBe('invalid sentinel port "-1"');
    expect(reason(withToken(1, " 26379"))).toBe('invalid sentinel port " 26379"');
    expect(reason(withToken(6, "6379x"))).toBe('invalid master port "6379x"');
    expect(reason(withToken(6, ""))).toBe('invalid master port ""');
  });

  it("rejects bad epochs", () => {
    expect(reason(withToken(3, "-1"))).toBe('invalid current epoch "-1"');
    expect(reason(withToken(3, "1.5"))).toBe('invalid current epoch "1.5"');
    expect(reason(withToken(3, "9007199254740992"))).toBe('invalid current epoch "9007199254740992"');
    expect(reason(withToken(7, "1e3"))).toBe('invalid master config epoch "1e3"');
    expect(reason(withToken(7, "9".repeat(100)))).toBe(`invalid master config epoch "${"9".repeat(32)}…"`);
  });

  it("rejects empty identity fields", () => {
    expect(reason(withToken(0, ""))).toBe("empty sentinel ip");
    expect(reason(withToken(2, ""))).toBe("empty sentinel runid");
    expect(reason(withToken(4, ""))).toBe("empty master name");
    expect(reason(withToken(5, ""))).toBe("empty master ip");
  });

  it("rejects non-strings without throwing", () => {
    expect(isHelloRejection(decodeHello(undefined as unknown as string))).toBe(true);
    expect(isHelloRejection(decodeHello({} as unknown as string))).toBe(true);
  });

  it("isHelloRejection tells the two shapes apart", () => {
    expect(isHelloRejection(SAMPLE)).toBe(false);
    expect(isHelloRejection({ kind: "hello-rejected", reason: "x" })).toBe(true);
    expect(isHelloRejection({ kind: "info-rejected", reason: "x" })).toBe(false);
    expect(isHelloRejection(undefined)).toBe(false);
  });
});

/** Text that survives the wire: non-empty, no comma. */
const token = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !s.includes(","));
const helloArb: fc.Arbitrary<HelloMessage> = fc.record({
  sentinelIp: fc.oneof(fc.ipV4(), fc.ipV6(), token),
  sentinelPort: fc.integer({ min: 0, max: 65535 }),
  sentinelRunId: fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/), token),
  currentEpoch: fc.maxSafeNat(),
  masterName: token,
  masterIp: fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()),
  masterPort: fc.integer({ min: 0, max: 65535 }),
  masterConfigEpoch: fc.maxSafeNat(),
});

describe("hello properties", () => {
  it("decode(encode(m)) = m", () => {
    fc.assert(
      fc.property(helloArb, (m) => {
        expect(decodeHello(encodeHello(m))).toEqual(m);
      }),
    );
  });

  it("never throws on arbitrary payloads", () => {
    const payload = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.array(fc.oneof(fc.string(), fc.nat().map(String), fc.integer().map(String)), { minLength: 8, maxLength: 8 }).map((t) => t.join(",")),
    );
    fc.assert(
      fc.property(payload, (p) => {
        const r = decodeHello(p);
        if (!isHelloRejection(r)) {
          expect(Number.isSafeInteger(r.currentEpoch) && r.currentEpoch >= 0).toBe(true);
          expect(r.sentinelPort >= 0 && r.sentinelPort <= 65535).toBe(true);
          expect(r.masterPort >= 0 && r.masterPort <= 65535).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("decodeHelloOnce", () => {
  it("decodes as decodeHello, once per payload, within a bounded memo", () => {
    const memo: HelloMemo = new Map();
    const payload = `127.0.0.1,26379,${"a".repeat(40)},3,mymaster,127.0.0.1,6379,2`;
    const first = decodeHelloOnce(memo, payload);
    expect(first).toEqual(decodeHello(payload));
    expect(decodeHelloOnce(memo, `${payload.slice(0, 10)}${payload.slice(10)}`)).toBe(first); // equal text, another string
    expect(decodeHelloOnce(memo, "a,b")).toEqual(decodeHello("a,b"));
    for (let i = 0; i < HELLO_MEMO_MAX + 10; i++) decodeHelloOnce(memo, `127.0.0.1,${i % 65536},x,1,m${i},127.0.0.1,1,1`);
    expect(memo.size).toBeLessThanOrEqual(HELLO_MEMO_MAX);
    const long = `127.0.0.1,26379,x,1,${"m".repeat(2000)},127.0.0.1,1,1`;
    expect(decodeHelloOnce(memo, long)).toEqual(decodeHello(long));
    expect(memo.has(long)).toBe(false);
  });
});
