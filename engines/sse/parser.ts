/**
 * An incremental `text/event-stream` parser (the WHATWG "interpret an event stream" steps):
 * feed it decoded text in chunks of any size, it returns the events completed so far.
 *
 * @module
 */

/** One server-sent event. */
export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  readonly event: string;
  /** The `data:` lines joined with "\n". */
  readonly data: string;
  /** The last `id:` seen on the stream so far ("" for none). */
  readonly id: string;
}

/** Parses an event stream incrementally. */
export class SseParser {
  #buf = "";
  #event = "";
  #data: string[] = [];
  #id = "";
  /** The last event id, for a Last-Event-ID reconnect. */
  lastId = "";
  /** The server's `retry:` value in ms, or NaN. */
  retryMs = NaN;

  /** Adds text; returns the events it completed. */
  push(text: string): SseEvent[] {
    this.#buf += text;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.#buf);
      // A lone "\r" at the end may be the first half of "\r\n": wait for more.
      if (!m || (m[0] === "\r" && m.index === this.#buf.length - 1)) break;
      const line = this.#buf.slice(0, m.index);
      this.#buf = this.#buf.slice(m.index + m[0].length);
      if (line === "") {
        if (this.#data.length) {
          out.push({ event: this.#event || "message", data: this.#data.join("\n"), id: this.#id });
        }
        this.#event = "";
        this.#data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const c = line.indexOf(":");
      const field = c < 0 ? line : line.slice(0, c);
      let value = c < 0 ? "" : line.slice(c + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") this.#data.push(value);
      else if (field === "event") this.#event = value;
      else if (field === "id" && !value.includes("\0")) this.#id = this.lastId = value;
      else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return out;
  }
}
