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

import { createHeadInfo, findHeadEnd, type HeadInfo, parseHead } from "./head.ts";

/** A response head larger than this is refused: no sane server sends one, and it bounds memory. */
export const MAX_HEAD_BYTES = 64 * 1024;

const HEAD = 0;
const BODY_LENGTH = 1;
const BODY_CLOSE = 2;
const CHUNK_SIZE = 3;
const CHUNK_SIZE_WS = 4;
const CHUNK_EXT = 5;
const CHUNK_SIZE_LF = 6;
const CHUNK_DATA = 7;
const CHUNK_DATA_CR = 8;
const CHUNK_DATA_LF = 9;
const TRAILER_START = 10;
const TRAILER_LINE = 11;
const TRAILER_END_LF = 12;
const DONE = 13;
const ERROR = 14;

const LF = 10;
const CR = 13;

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
  #digits = 0;
  #trailerBytes = 0;
  #headBuf: Uint8Array | null = null;
  #headLen = 0;
  #bodyBuf: Uint8Array | null = null;

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
    this.#bodyBuf = null;
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
        case CHUNK_DATA: {
          const n = Math.min(this.#remaining, end - i);
          this.#take(b, i, n);
          i += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = CHUNK_DATA_CR;
          break;
        }
        case DONE:
        case ERROR:
          return i;
        default:
          this.#chunkFraming(b[i++]);
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
        this.#digits = 0;
        this.#remaining = 0;
        this.#trailerBytes = 0;
        this.#state = CHUNK_SIZE;
      } else this.#toClose();
    } else if (h.contentLength !== -1) {
      if (noBody || h.contentLength === 0) this.#finish();
      else {
        this.#remaining = h.contentLength;
        if (this.#keep) this.#bodyBuf = new Uint8Array(h.contentLength);
        this.#state = BODY_LENGTH;
      }
    } else if (noBody) this.#finish();
    else this.#toClose();
  }

  #toClose(): void {
    this.keepAlive = false;
    this.#state = BODY_CLOSE;
  }

  #chunkFraming(c: number): void {
    switch (this.#state) {
      case CHUNK_SIZE: {
        const v = hexValue(c);
        if (v >= 0) {
          if (++this.#digits > 13) this.#fail("chunk size too large", 0);
          else this.#remaining = this.#remaining * 16 + v;
        } else if (this.#digits === 0) this.#fail("bad chunk size", 0);
        else if (c === CR) this.#state = CHUNK_SIZE_LF;
        else if (c === LF) this.#afterSize();
        else if (c === 59) this.#state = CHUNK_EXT; // ';'
        else if (c === 32 || c === 9) this.#state = CHUNK_SIZE_WS;
        else this.#fail("bad chunk size", 0);
        return;
      }
      case CHUNK_SIZE_WS:
        if (c === CR) this.#state = CHUNK_SIZE_LF;
        else if (c === LF) this.#afterSize();
        else if (c === 59) this.#state = CHUNK_EXT;
        else if (c !== 32 && c !== 9) this.#fail("bad chunk size", 0);
        return;
      case CHUNK_EXT:
        if (++this.#trailerBytes > MAX_HEAD_BYTES) this.#fail("chunk extension too long", 0);
        else if (c === CR) this.#state = CHUNK_SIZE_LF;
        else if (c === LF) this.#afterSize();
        return;
      case CHUNK_SIZE_LF:
        if (c === LF) this.#afterSize();
        else this.#fail("bad chunk size line", 0);
        return;
      case CHUNK_DATA_CR:
        if (c === CR) this.#state = CHUNK_DATA_LF;
        else if (c === LF) this.#nextChunk();
        else this.#fail("missing CRLF after chunk data", 0);
        return;
      case CHUNK_DATA_LF:
        if (c === LF) this.#nextChunk();
        else this.#fail("missing CRLF after chunk data", 0);
        return;
      case TRAILER_START:
        if (c === CR) this.#state = TRAILER_END_LF;
        else if (c === LF) this.#finish();
        else this.#state = TRAILER_LINE;
        return;
      case TRAILER_LINE:
        if (++this.#trailerBytes > MAX_HEAD_BYTES) this.#fail("trailers exceed 64 KiB", 0);
        else if (c === LF) this.#state = TRAILER_START;
        return;
      case TRAILER_END_LF:
        if (c === LF) this.#finish();
        else this.#fail("bad end of trailers", 0);
        return;
    }
  }

  #afterSize(): void {
    this.#state = this.#remaining === 0 ? TRAILER_START : CHUNK_DATA;
  }

  #nextChunk(): void {
    this.#digits = 0;
    this.#remaining = 0;
    this.#state = CHUNK_SIZE;
  }

  #take(b: Uint8Array, i: number, n: number): void {
    this.bodyBytes += n;
    if (!this.#keep || n === 0) return;
    let bb = this.#bodyBuf;
    const have = this.bodyBytes - n;
    if (bb === null || bb.length < have + n) {
      const grown = new Uint8Array(Math.max(4096, (have + n) * 2));
      if (bb !== null) grown.set(bb.subarray(0, have));
      bb = this.#bodyBuf = grown;
    }
    bb.set(b.subarray(i, i + n), have);
  }

  #finish(): void {
    this.#state = DONE;
    this.done = true;
    const bb = this.#bodyBuf, n = this.bodyBytes;
    // An exactly sized buffer (Content-Length) is handed over as is: it is fresh per response.
    if (this.#keep) {
      this.body = bb === null ? new Uint8Array(0) : bb.length === n ? bb : bb.slice(0, n);
    }
  }

  #fail(why: string, ret: number): number {
    this.#state = ERROR;
    this.error = why;
    this.keepAlive = false;
    return ret;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
