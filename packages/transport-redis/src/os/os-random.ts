// Random bytes for run ids and PRNG seeds, read from the kernel as Redis does (getRandomBytes reads
// /dev/urandom). Not node:crypto: loading it initialises OpenSSL, ~2 MB of resident memory and a
// few milliseconds of start-up that a sentinel without TLS or passwords never needs otherwise
// (docs/performance.md, "Start-up"). Where /dev/urandom cannot be read, Web Crypto fills the bytes.
import { closeSync, openSync, readSync } from "node:fs";

/** `n` bytes from the operating system's random source. */
export function osRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let fd: number | undefined;
  try {
    fd = openSync("/dev/urandom", "r");
    let filled = 0;
    while (filled < n) {
      const got = readSync(fd, out, filled, n - filled, null);
      if (got <= 0) break;
      filled += got;
    }
    if (filled === n) return out;
  } catch {
    // No /dev/urandom (another platform, a jail): Web Crypto below.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return globalThis.crypto.getRandomValues(out);
}

/** A random hex string of `bytes` bytes: a run id is `randomHex(20)`, 40 characters like Redis's. */
export function randomHex(bytes: number): string {
  return Buffer.from(osRandomBytes(bytes)).toString("hex");
}

/** A random 32-bit seed for the engine's PRNG. */
export function randomSeed(): number {
  return new DataView(osRandomBytes(4).buffer).getUint32(0, true);
}
