/**
 * The response a scenario's `ctx.http` call resolves to. Its body is decoded from the
 * response's `Content-Encoding` on first read (see decode.ts), so a body never read is never
 * decoded and decoding is never part of a measured phase.
 *
 * @module
 */
import type { ErrorKind } from "../../core/types.ts";
import { type BodyDecoder, isEncoded } from "./decode.ts";

/** Phase timings of one request, ms (NaN where the engine cannot observe a phase). */
export interface HttpTimings {
  duration: number;
  blocked: number;
  connecting: number;
  tls: number;
  sending: number;
  waiting: number;
  receiving: number;
}

const textDecoder = new TextDecoder();

/** A response (or a transport failure, with status 0 and `error` set). */
export class HttpResponse {
  #raw: Uint8Array;
  #decoder: BodyDecoder | null;

  /**
   * Creates a response record; built by the client, not by users. `body` is what the engine
   * kept; with a `decoder`, a body whose `Content-Encoding` is not identity is decoded on first
   * read (engines that decoded it already pass none).
   */
  constructor(
    readonly method: string,
    /** The URL that answered: after redirects, the last hop's. */
    readonly url: string,
    /** The request's metric `name` tag (checks on this response are tagged with it too). */
    readonly name: string,
    readonly status: number,
    readonly headers: Headers,
    body: Uint8Array,
    readonly timings: HttpTimings,
    readonly error: ErrorKind | null,
    readonly errorMessage: string,
    decoder: BodyDecoder | null = null,
  ) {
    this.#raw = body;
    this.#decoder = decoder;
  }

  /**
   * The body bytes, decoded from gzip, deflate or br on first read. Throws a TypeError when
   * the body is encoded in a way rampa cannot undo (or is corrupt).
   */
  get body(): Uint8Array {
    const d = this.#decoder;
    if (d !== null) {
      this.#decoder = null;
      const enc = this.headers.get("content-encoding");
      if (isEncoded(enc)) this.#raw = d(this.#raw, enc);
    }
    return this.#raw;
  }

  /** True for a 2xx status. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return textDecoder.decode(this.body);
  }

  /** The body parsed as JSON (throws on invalid JSON, like fetch). */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}
