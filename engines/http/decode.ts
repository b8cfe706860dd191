/**
 * Undoing a response's `Content-Encoding` (gzip, deflate, br) for scenario code, lazily: the
 * engine keeps the bytes as they crossed the wire, `ended` is taken, the request is recorded,
 * and only when the scenario reads `r.body`/`r.text()`/`r.json()` are they decoded. So decoding
 * costs CPU only for bodies actually read and never lengthens a timed phase.
 *
 * Decoding is synchronous (`node:zlib`'s `*Sync` functions) because `r.text()` and `r.json()`
 * are; bench/decompress_bench.ts measured it against `DecompressionStream` (see docs/http.md).
 * `node:zlib` takes 30–90 ms to load, so it is loaded on the first encoded response a thread
 * sees ({@link loadDecoder}), never by runs whose responses are plain.
 *
 * @module
 */

/** Decodes an encoded body; throws a TypeError naming the coding it could not undo. */
export type BodyDecoder = (body: Uint8Array, encoding: string) => Uint8Array;

type Zlib = typeof import("node:zlib");

let loading: Promise<BodyDecoder> | null = null;

/** True when `encoding` (a Content-Encoding value) asks for decoding at all. */
export function isEncoded(encoding: string | null): encoding is string {
  if (encoding === null) return false;
  const e = encoding.trim().toLowerCase();
  return e !== "" && e !== "identity";
}

/** The decoder, loading `node:zlib` on first use (once per thread). */
export function loadDecoder(): Promise<BodyDecoder> {
  return loading ??= import("node:zlib").then((z) => (body, encoding) => decode(z, body, encoding));
}

/**
 * Undoes every coding listed in `encoding`, last applied first (RFC 9110 §8.4: codings are
 * listed in the order they were applied).
 */
function decode(z: Zlib, body: Uint8Array, encoding: string): Uint8Array {
  if (body.byteLength === 0) return body;
  const codings = encoding.toLowerCase().split(",").map((c) => c.trim()).filter((c) => c !== "");
  let out = body;
  for (let i = codings.length - 1; i >= 0; i--) out = decodeOne(z, out, codings[i]);
  return out;
}

function decodeOne(z: Zlib, body: Uint8Array, coding: string): Uint8Array {
  try {
    switch (coding) {
      case "identity":
        return body;
      case "gzip":
      case "x-gzip":
        return asBytes(z.gunzipSync(body));
      case "deflate":
        // RFC 9110's deflate is zlib-wrapped, but some servers send raw deflate: try both.
        try {
          return asBytes(z.inflateSync(body));
        } catch {
          return asBytes(z.inflateRawSync(body));
        }
      case "br":
        return asBytes(z.brotliDecompressSync(body));
    }
  } catch (err) {
    throw new TypeError(`Cannot decode a ${coding} response body: ${(err as Error).message}`);
  }
  throw new TypeError(
    `Cannot decode Content-Encoding "${coding}": rampa decodes gzip, deflate and br`,
  );
}

/** node:zlib returns Buffers; hand out plain Uint8Arrays over the same memory. */
function asBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
