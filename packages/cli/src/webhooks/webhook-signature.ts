import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying the body's HMAC. */
export const SIGNATURE_HEADER = "x-vigil-signature";

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the format GitHub made familiar. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Check a received signature in constant time (for receivers, and for our tests). */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
