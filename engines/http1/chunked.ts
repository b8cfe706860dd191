/**
 * The framing half of chunked transfer coding (RFC 9112 7.1): chunk-size lines, extensions,
 * the CRLF after each chunk's data, and the trailer section. The data itself is copied in bulk
 * by the response parser; this decoder only sees the framing bytes, one at a time, so a chunk
 * header split across reads at any byte needs no buffering.
 *
 * Lenient where real servers are (bare LF line ends, whitespace before an extension), strict
 * where leniency enables smuggling (no size digits, sizes over 2^52, junk after the data).
 *
 * @module
 */

/** More framing bytes are needed. */
export const CHUNK_MORE = 0;
/** A chunk size was read: `remaining` data bytes follow; call `dataDone()` after them. */
export const CHUNK_DATA = 1;
/** The last chunk and the trailers are done: the body is complete. */
export const CHUNK_END = 2;
/** The framing is malformed; `error` says why. */
export const CHUNK_ERROR = 3;

const SIZE = 0;
const SIZE_WS = 1;
const EXT = 2;
const SIZE_LF = 3;
const DATA_CR = 4;
const DATA_LF = 5;
const TRAILER_START = 6;
const TRAILER_LINE = 7;
const TRAILER_END_LF = 8;

const LF = 10;
const CR = 13;
const SEMICOLON = 59;

/** Bound on extensions plus trailers, the same as on a response head. */
const MAX_EXTRA_BYTES = 64 * 1024;

/** Decodes chunk framing byte by byte; see the module doc. */
export class ChunkDecoder {
  /** Data bytes of the current chunk (valid after {@link CHUNK_DATA}). */
  remaining = 0;
  /** Why the framing is malformed, or "". */
  error = "";
  #state = SIZE;
  #digits = 0;
  #extra = 0;

  /** Starts a new chunked body. */
  reset(): void {
    this.remaining = 0;
    this.error = "";
    this.#state = SIZE;
    this.#digits = 0;
    this.#extra = 0;
  }

  /** The caller consumed the current chunk's data: its CRLF comes next. */
  dataDone(): void {
    this.#state = DATA_CR;
  }

  /** Feeds one framing byte; returns one of the CHUNK_* codes. */
  byte(c: number): number {
    switch (this.#state) {
      case SIZE: {
        const v = hexValue(c);
        if (v >= 0) {
          if (++this.#digits > 13) return this.#fail("chunk size too large");
          this.remaining = this.remaining * 16 + v;
          return CHUNK_MORE;
        }
        if (this.#digits === 0) return this.#fail("bad chunk size");
        if (c === CR) this.#state = SIZE_LF;
        else if (c === LF) return this.#afterSize();
        else if (c === SEMICOLON) this.#state = EXT;
        else if (c === 32 || c === 9) this.#state = SIZE_WS;
        else return this.#fail("bad chunk size");
        return CHUNK_MORE;
      }
      case SIZE_WS:
        if (c === CR) this.#state = SIZE_LF;
        else if (c === LF) return this.#afterSize();
        else if (c === SEMICOLON) this.#state = EXT;
        else if (c !== 32 && c !== 9) return this.#fail("bad chunk size");
        return CHUNK_MORE;
      case EXT:
        if (++this.#extra > MAX_EXTRA_BYTES) return this.#fail("chunk extensions too long");
        if (c === CR) this.#state = SIZE_LF;
        else if (c === LF) return this.#afterSize();
        return CHUNK_MORE;
      case SIZE_LF:
        return c === LF ? this.#afterSize() : this.#fail("bad chunk size line");
      case DATA_CR:
        if (c === CR) this.#state = DATA_LF;
        else if (c === LF) this.#nextChunk();
        else return this.#fail("missing CRLF after chunk data");
        return CHUNK_MORE;
      case DATA_LF:
        if (c !== LF) return this.#fail("missing CRLF after chunk data");
        this.#nextChunk();
        return CHUNK_MORE;
      case TRAILER_START:
        if (c === LF) return CHUNK_END;
        this.#state = c === CR ? TRAILER_END_LF : TRAILER_LINE;
        return CHUNK_MORE;
      case TRAILER_LINE:
        if (++this.#extra > MAX_EXTRA_BYTES) return this.#fail("trailers too long");
        if (c === LF) this.#state = TRAILER_START;
        return CHUNK_MORE;
      default: // TRAILER_END_LF
        return c === LF ? CHUNK_END : this.#fail("bad end of trailers");
    }
  }

  #afterSize(): number {
    if (this.remaining > 0) return CHUNK_DATA;
    this.#state = TRAILER_START;
    return CHUNK_MORE;
  }

  #nextChunk(): void {
    this.#digits = 0;
    this.remaining = 0;
    this.#state = SIZE;
  }

  #fail(why: string): number {
    this.error = why;
    return CHUNK_ERROR;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
