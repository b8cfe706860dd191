/**
 * A throw-away self-signed certificate for test servers (nginx with TLS, h2 by ALPN), made by
 * Debian's `openssl` at test time rather than checked in: nothing long-lived to expire or to
 * be mistaken for a trusted key. Clients in tests reach such a server with `insecure: true`,
 * or trust `cert` itself where the TLS stack accepts a self-signed anchor (node:tls does;
 * rustls does not, see tests/engines/http1/_tls_fixtures.ts).
 *
 * @module
 */

/** A PEM certificate and its private key. */
export interface SelfSignedCert {
  readonly cert: string;
  readonly key: string;
}

/**
 * Generates a P-256 certificate for `localhost` and `127.0.0.1`, valid for two days. Throws
 * when openssl is missing or fails.
 */
export async function generateSelfSignedCert(): Promise<SelfSignedCert> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-cert-" });
  try {
    const out = await new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        `${dir}/key.pem`,
        "-out",
        `${dir}/cert.pem`,
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    return {
      cert: await Deno.readTextFile(`${dir}/cert.pem`),
      key: await Deno.readTextFile(`${dir}/key.pem`),
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
