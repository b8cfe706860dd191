/**
 * What decoding a response body costs, and which decoder is cheaper: `node:zlib`'s synchronous
 * functions (what engines/http/decode.ts uses, since `r.text()`/`r.json()` are synchronous)
 * against the web's `DecompressionStream`, for a 2 KiB and a 256 KiB JSON body, gzip and
 * deflate (DecompressionStream has no brotli; br is measured with node:zlib only).
 *
 * Run: `deno bench bench/decompress_bench.ts`. Results are in docs/http.md.
 *
 * @module
 */
import zlib from "node:zlib";
import { loadDecoder } from "../engines/http/decode.ts";

const decode = await loadDecoder();

function body(bytes: number): Uint8Array {
  const items = [];
  for (let i = 0; items.length * 60 < bytes; i++) {
    items.push({ id: i, name: `item ${i}`, price: (i * 7) % 100, tags: ["a", "b"] });
  }
  return new TextEncoder().encode(JSON.stringify(items));
}

async function viaStream(data: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

for (const [label, size] of [["2KiB", 2048], ["256KiB", 256 * 1024]] as const) {
  const plain = body(size);
  const gz = new Uint8Array(zlib.gzipSync(plain));
  const df = new Uint8Array(zlib.deflateSync(plain));
  const br = new Uint8Array(zlib.brotliCompressSync(plain));

  Deno.bench(
    `gzip ${label}: node:zlib (sync, rampa)`,
    { group: `gzip ${label}`, baseline: true },
    () => {
      decode(gz, "gzip");
    },
  );
  Deno.bench(`gzip ${label}: DecompressionStream`, { group: `gzip ${label}` }, async () => {
    await viaStream(gz, "gzip");
  });
  Deno.bench(`deflate ${label}: node:zlib (sync, rampa)`, {
    group: `deflate ${label}`,
    baseline: true,
  }, () => {
    decode(df, "deflate");
  });
  Deno.bench(`deflate ${label}: DecompressionStream`, { group: `deflate ${label}` }, async () => {
    await viaStream(df, "deflate");
  });
  Deno.bench(`br ${label}: node:zlib (sync, rampa)`, { group: `br ${label}` }, () => {
    decode(br, "br");
  });
  Deno.bench(`JSON.parse ${label} (for scale)`, { group: `br ${label}` }, () => {
    JSON.parse(new TextDecoder().decode(plain));
  });
}
