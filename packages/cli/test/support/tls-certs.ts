// Test certificates made with the system's openssl: a CA, a certificate for 127.0.0.1 (used by
// servers and as a client certificate), and a second, untrusted CA with its own certificate.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireBinary } from "./processes.js";

export interface TestCerts {
  readonly dir: string;
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
  /** Signed by a different CA: must be refused wherever `caCert` is the trust anchor. */
  readonly rogueCaCert: string;
  readonly rogueCert: string;
  readonly rogueKey: string;
}

/** Generate the certificates into `dir` (about 0.3 s with 2048-bit RSA keys). */
export function makeCerts(dir: string): TestCerts {
  const openssl = requireBinary("openssl");
  const run = (...args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const ext = join(dir, "san.ext");
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n");
  for (const prefix of ["", "rogue-"]) {
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=Vigil test ${prefix}CA`, "-keyout", `${prefix}ca.key`, "-out", `${prefix}ca.crt`);
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", `${prefix}node.key`, "-out", `${prefix}node.csr`);
    run("x509", "-req", "-in", `${prefix}node.csr`, "-CA", `${prefix}ca.crt`, "-CAkey", `${prefix}ca.key`, "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", `${prefix}node.crt`);
  }
  return {
    dir,
    caCert: join(dir, "ca.crt"),
    cert: join(dir, "node.crt"),
    key: join(dir, "node.key"),
    rogueCaCert: join(dir, "rogue-ca.crt"),
    rogueCert: join(dir, "rogue-node.crt"),
    rogueKey: join(dir, "rogue-node.key"),
  };
}
