/**
 * An incremental HTTP/1.x response parser over Uint8Array chunks. One parser lives with one
 * connection and is reset per request, so parsing allocates nothing unless the response is
 * kept (or its head arrives split across reads, when it is gathered into a reused buffer).
 *
 * Body framing follows RFC 9112 6.3: no body for HEAD, 1xx, 204 and 304; chunked when it is
 * the final transfer coding (Content-Length is then ignored and the connection not reused);
 * Content-Length; otherwise the body runs to the end of the connection.
 *
 * @module
 */

import { CHUNK_DATA, CHUNK_END, CHUNK_ERROR, ChunkDecoder } from "./chunked.ts";
import { createHeadInfo, findHeadEnd, type HeadInfo, parseHead } from "./head.ts";

/** A response head larger than this is refused: no sane server sends one, and it bounds memory. */
export const MAX_HEAD_BYTES = 64 * 1024;

const HEAD = 0;
const BODY_LENGTH = 1;
const BODY_CLOSE = 2;
const CHUNK_FRAMING = 3;
const CHUNK_BODY = 4;
const DONE = 5;
const ERROR = 6;

const EMPTY = new Uint8Array(0);
const PRESIZE_LIMIT = 16 * 1024 * 1024;

/** Parses one response at a time; see the module doc. */
export class ResponseParser {
  /** Facts of the final (non-1xx) response head once parsed. */
  readonly head: HeadInfo = createHeadInfo();
  /** The response is complete. */
  done = false;
  /** Why the response is malformed, or "". */
  error = "";
  /** The connection may carry another request after this response. */
  keepAlive = true;
  /** At least one byte of a response has been fed. */
  started = false;
  /** Body bytes seen (after de-chunking). */
  bodyBytes = 0;
  /** The kept body, when keeping; valid once done. */
  body: Uint8Array | null = null;

  #state = HEAD;
  #isHead = false;
  #keep = false;
  #remaining = 0;
  readonly #chunks = new ChunkDecoder();
  #headBuf: Uint8Array | null = null;
  #headLen = 0;
  #bodyBuf: Uint8Array | null = null;
  #scratch: Uint8Array | null = null;

  /** Prepares for the response to the next request (`isHead`: it was a HEAD request). */
  reset(isHead: boolean, keep: boolean): void {
    this.done = false;
    this.error = "";
    this.keepAlive = true;
    this.started = false;
    this.bodyBytes = 0;
    this.body = null;
    this.#state = HEAD;
    this.#isHead = isHead;
    this.#keep = keep;
    this.#headLen = 0;
    this.#bodyBuf = this.#scratch;
  }

  /**
   * Feeds `b[start..end)`. Returns the index just past the bytes that belong to this response;
   * bytes after it (when `done`) are surplus the server should not have sent.
   */
  execute(b: Uint8Array, start: number, end: number): number {
    if (end > start) this.started = true;
    let i = start;
    while (i < end) {
      switch (this.#state) {
        case HEAD:
          i = this.#feedHead(b, i, end);
          break;
        case BODY_LENGTH: {
          const n = Math.min(this.#remaining, end - i);
          this.#take(b, i, n);
          i += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#finish();
          break;
        }
        case BODY_CLOSE:
          this.#take(b, i, end - i);
          return end;
        case CHUNK_FRAMING: {
          const r = this.#chunks.byte(b[i++]);
          if (r === CHUNK_DATA) this.#state = CHUNK_BODY;
          else if (r === CHUNK_END) this.#finish();
          else if (r === CHUNK_ERROR) this.#fail(this.#chunks.error, 0);
          break;
        }
        case CHUNK_BODY: {
          const chunks = this.#chunks;
          const n = Math.min(chunks.remaining, end - i);
          this.#take(b, i, n);
          i += n;
          chunks.remaining -= n;
          if (chunks.remaining === 0) {
            chunks.dataDone();
            this.#state = CHUNK_FRAMING;
          }
          break;
        }
        default: // DONE or ERROR
          return i;
      }
    }
    return i;
  }

  /**
   * Tells the parser the connection ended. Returns true when that completes the response
   * (a body delimited by the close); otherwise the response was truncated.
   */
  eof(): boolean {
    if (this.#state !== BODY_CLOSE) return this.done;
    this.#finish();
    return true;
  }

  #feedHead(b: Uint8Array, i: number, end: number): number {
    if (this.#headLen === 0) {
      const he = findHeadEnd(b, i, end);
      if (he >= 0) {
        if (he - i > MAX_HEAD_BYTES) return this.#fail("response head exceeds 64 KiB", end);
        this.#onHead(b, i, he);
        return he;
      }
      if (end - i >= MAX_HEAD_BYTES) return this.#fail("response head exceeds 64 KiB", end);
    }
    // The head is split across reads: gather it (never more than the limit) and search on.
    const old = this.#headLen;
    const take = Math.min(end - i, MAX_HEAD_BYTES - old);
    let hb = this.#headBuf;
    if (hb === null || hb.length < old + take) {
      const grown = new Uint8Array(Math.min(MAX_HEAD_BYTES, Math.max(1024, (old + take) * 2)));
      if (hb !== null) grown.set(hb.subarray(0, old));
      hb = this.#headBuf = grown;
    }
    hb.set(b.subarray(i, i + take), old);
    const he = findHeadEnd(hb, old > 2 ? old - 2 : 0, old + take);
    if (he < 0) {
      this.#headLen = old + take;
      if (this.#headLen >= MAX_HEAD_BYTES) return this.#fail("response head exceeds 64 KiB", end);
      return i + take;
    }
    this.#headLen = 0;
    this.#onHead(hb, 0, he);
    return i + (he - old);
  }

  #onHead(b: Uint8Array, start: number, end: number): void {
    const h = this.head;
    if (!parseHead(b, start, end, this.#keep, h)) {
      this.#fail(h.error, 0);
      return;
    }
    const status = h.status;
    if (status < 200 && status !== 101) return; // interim response: the real one follows
    this.keepAlive = h.minor === 1 ? !h.connClose : h.connKeepAlive && !h.connClose;
    if (status === 101) this.keepAlive = false; // we never asked to switch protocols
    const noBody = this.#isHead || status < 200 || status === 204 || status === 304;
    if (h.hasTransferEncoding) {
      // TE with CL is a smuggling smell (RFC 9112 6.1): honour TE, then drop the connection.
      if (h.contentLength !== -1) this.keepAlive = false;
      if (noBody) this.#finish();
      else if (h.chunked) {
        this.#chunks.reset();
        this.#state = CHUNK_FRAMING;
      } else this.#toClose();
    } else if (h.contentLength !== -1) {
      if (noBody || h.contentLength === 0) this.#finish();
      else {
        this.#remaining = h.contentLength;
        // Pre-size kept bodies, but never trust a huge declared length with memory up front.
        if (this.#keep && h.contentLength <= PRESIZE_LIMIT) {
          this.#bodyBuf = new Uint8Array(h.contentLength);
        }
        this.#state = BODY_LENGTH;
      }
    } else if (noBody) this.#finish();
    else this.#toClose();
  }

  #toClose(): void {
    this.keepAlive = false;
    this.#state = BODY_CLOSE;
  }

  /**
   * Keeps body bytes. A Content-Length body goes straight into its own exactly sized buffer;
   * other bodies gather in a scratch buffer reused across responses and are copied out once
   * at the end: typed-array allocation, not copying, is what costs here.
   */
  #take(b: Uint8Array, i: number, n: number): void {
    const have = this.bodyBytes;
    this.bodyBytes += n;
    if (!this.#keep || n === 0) return;
    let bb = this.#bodyBuf;
    if (bb === null || bb.length < have + n) {
      const grown = new Uint8Array(Math.max(1024, (have + n) * 2));
      if (bb !== null) grown.set(bb.subarray(0, have));
      bb = this.#bodyBuf = this.#scratch = grown;
    }
    if (n <= 32) { for (let k = 0; k < n; k++) bb[have + k] = b[i + k]; }
    else bb.set(b.subarray(i, i + n), have);
  }

  #finish(): void {
    this.#state = DONE;
    this.done = true;
    if (!this.#keep) return;
    const bb = this.#bodyBuf, n = this.bodyBytes;
    if (bb === null || n === 0) this.body = EMPTY;
    else this.body = bb === this.#scratch ? bb.slice(0, n) : bb;
  }

  #fail(why: string, ret: number): number {
    this.#state = ERROR;
    this.error = why;
    this.keepAlive = false;
    return ret;
  }
}
