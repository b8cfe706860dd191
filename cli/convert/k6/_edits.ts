/**
 * Text edits on ranges of the original source, applied in one pass at the end (the
 * magic-string way): everything the converter does not touch, comments and layout included,
 * comes out byte for byte.
 *
 * @module
 */

interface Edit {
  start: number;
  end: number;
  text: string;
  /** At one offset: comment lines and openers (0) before inserted text (1) before replacements (2). */
  rank: number;
  seq: number;
}

/** Edits against one source text. */
export class Edits {
  readonly #edits: Edit[] = [];
  #seq = 0;
  /** Edits that overlapped an earlier replacement and were left out (0 in a correct run). */
  dropped = 0;

  /** Inserts `text` at `pos`; insertions at one offset keep their order. */
  insert(pos: number, text: string): void {
    this.#edits.push({ start: pos, end: pos, text, rank: 1, seq: this.#seq++ });
  }

  /** Inserts a whole comment line at a line start, before anything else inserted there. */
  insertLine(pos: number, text: string): void {
    this.#edits.push({ start: pos, end: pos, text, rank: 0, seq: this.#seq++ });
  }

  /** Inserts `text` at `pos` before other insertions there (an opening brace before `await`). */
  insertFirst(pos: number, text: string): void {
    this.#edits.push({ start: pos, end: pos, text, rank: 0, seq: this.#seq++ });
  }

  /** Replaces `[start, end)` with `text`. */
  replace(start: number, end: number, text: string): void {
    this.#edits.push({ start, end, text, rank: 2, seq: this.#seq++ });
  }

  /** The edited text. */
  apply(source: string): string {
    const sorted = [...this.#edits].sort((a, b) =>
      a.start - b.start || a.rank - b.rank || a.seq - b.seq
    );
    let out = "";
    let at = 0;
    for (const e of sorted) {
      if (e.start < at) {
        this.dropped++;
        continue;
      }
      out += source.slice(at, e.start) + e.text;
      at = e.end;
    }
    return out + source.slice(at);
  }
}
