/**
 * `ctx.sse`: server-sent-events streams as async iterators of {@link SseEvent}. A stream
 * belongs to the iteration that opened it (leftovers are closed when it ends). Failures are
 * values: the iterator just ends, and `stream.error` says why (`refused`, `status`, `reset`,
 * `timeout`, …), counted in `sse_streams` by status and error. Reconnecting with
 * Last-Event-ID is off unless asked for.
 *
 * @module
 */
import { addCounter, addRate, addTrend } from "../../core/metrics/registry.ts";
import { CORE_METRICS } from "../../core/metrics/builtin.ts";
import type { VuState } from "../../core/protocol/types.ts";
import type { Tags } from "../../core/types.ts";
import { classifyFetchError } from "../http/classify_error.ts";
import { SSE_METRICS } from "./metrics.ts";
import { type SseEvent, SseParser } from "./parser.ts";

export type { SseEvent };

/** The protocol's key on the VU context and in VU slots. */
export const SSE = "sse";

/** Options of {@link SseApi.connect}. */
export interface SseConnectOptions {
  headers?: Record<string, string>;
  /** Metric `name` tag. @default the URL without its query */
  name?: string;
  /** Extra low-cardinality tags. */
  tags?: Tags;
  /** Time to the response headers, ms. @default 60000 */
  timeout?: number;
  /** Reconnect with Last-Event-ID when the stream ends, up to this many times. @default 0 */
  reconnects?: number;
}

/** An open stream: iterate it for events; `close()` ends it. */
export interface SseStream extends AsyncIterable<SseEvent> {
  /** The response status (0 without a response). */
  readonly status: number;
  /** Why the stream failed, or null. */
  readonly error: string | null;
  /** Ends the stream (the iterator finishes). */
  close(): void;
}

/** What `ctx.sse` offers. */
export interface SseApi {
  /** Opens a stream (the request starts at once); never throws for network failures. */
  connect(url: string, opts?: SseConnectOptions): SseStream;
}

function classify(e: unknown): string {
  // HTTP's fetch classifier knows Deno's error chains (the reason sits in `cause`).
  return classifyFetchError(e).kind;
}

function openStream(vu: VuState, url: string, o: SseConnectOptions, opened: Set<Stream>): Stream {
  const reg = vu.runtime.registry;
  for (const d of CORE_METRICS) reg.define(d);
  for (const d of SSE_METRICS) reg.define(d);
  const q = url.search(/[?#]/);
  const tags: Tags = {
    ...vu.tags,
    ...o.tags,
    ...(vu.group ? { group: vu.group } : {}),
    name: o.name ?? (q < 0 ? url : url.slice(0, q)),
    // `method` keys the endpoint list (core matches endpoints by method and name).
    method: "SSE",
  };
  const s = new Stream(vu, url, o, tags, () => opened.delete(s));
  opened.add(s);
  return s;
}

class Stream implements SseStream {
  status = 0;
  error: string | null = null;
  #abort = new AbortController();
  #events: SseEvent[] = [];
  #wake: (() => void) | null = null;
  #ended = false;
  #vu: VuState;
  #tags: Tags;
  #onEnd: () => void;
  #unlisten: () => void = () => {};

  constructor(vu: VuState, url: string, o: SseConnectOptions, tags: Tags, onEnd: () => void) {
    this.#vu = vu;
    this.#tags = tags;
    this.#onEnd = onEnd;
    // Removed when the stream ends: the signal outlives every stream of the run.
    const onAbort = () => this.#fail("aborted");
    vu.interrupt.addEventListener("abort", onAbort, { once: true });
    this.#unlisten = () => vu.interrupt.removeEventListener("abort", onAbort);
    this.#run(url, o).catch(() => this.#fail("other"));
  }

  async #run(url: string, o: SseConnectOptions): Promise<void> {
    const reg = this.#vu.runtime.registry;
    const received = reg.series("sse_events_received", this.#tags);
    const bytes = reg.series("data_received", this.#vu.tags);
    const parser = new SseParser();
    const t0 = performance.now();
    let first = true;
    for (let attempt = 0; attempt <= (o.reconnects ?? 0) && !this.#ended; attempt++) {
      const headers = new Headers({ accept: "text/event-stream", ...o.headers });
      if (attempt > 0 && parser.lastId) headers.set("last-event-id", parser.lastId);
      const timer = setTimeout(() => this.#fail("timeout"), o.timeout ?? 60_000);
      let res: Response;
      try {
        res = await fetch(url, { headers, signal: this.#abort.signal });
      } catch (e) {
        if (!this.#ended) this.#fail(this.error ?? classify(e));
        break;
      } finally {
        clearTimeout(timer);
      }
      this.status = res.status;
      if (attempt === 0) addTrend(reg.series("sse_connecting", this.#tags), performance.now() - t0);
      if (
        !res.ok || !res.body || !/text\/event-stream/.test(res.headers.get("content-type") ?? "")
      ) {
        await res.body?.cancel();
        this.#fail("status");
        break;
      }
      try {
        for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
          addCounter(bytes, chunk.length);
          for (const ev of parser.push(chunk)) {
            if (first) {
              first = false;
              addTrend(reg.series("sse_time_to_first_event", this.#tags), performance.now() - t0);
            }
            addCounter(received, 1);
            this.#events.push(ev);
            this.#wake?.();
          }
        }
      } catch (e) {
        if (!this.#ended) this.#fail(classify(e));
        break;
      }
    }
    this.#finish();
  }

  #fail(kind: string): void {
    this.error ??= kind;
    this.#abort.abort();
    this.#finish();
  }

  #finish(): void {
    if (this.#ended) {
      this.#wake?.();
      return;
    }
    this.#ended = true;
    this.#unlisten();
    this.#abort.abort();
    const reg = this.#vu.runtime.registry;
    const t = {
      ...this.#tags,
      status: String(this.status),
      ...(this.error ? { error: this.error } : {}),
    };
    addCounter(reg.series("sse_streams", t), 1);
    addRate(reg.series("sse_stream_failed", t), this.error !== null && this.error !== "aborted");
    if (this.error && !this.#vu.runtime.evidence.hasErrorExample(this.error)) {
      this.#vu.runtime.evidence.errorExample(
        this.error,
        `SSE stream failed (status ${this.status})`,
      );
    }
    this.#onEnd();
    this.#wake?.();
  }

  close(): void {
    // Closed by the scenario: recorded without an error; the read loop sees the stream ended.
    if (!this.#ended) this.#finish();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SseEvent> {
    for (;;) {
      const ev = this.#events.shift();
      if (ev) {
        yield ev;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((r) => this.#wake = r);
      this.#wake = null;
    }
  }
}

interface Slot {
  readonly open: Set<Stream>;
}

function slot(vu: VuState): Slot {
  let s = vu.slots.get(SSE) as Slot | undefined;
  if (!s) vu.slots.set(SSE, s = { open: new Set() });
  return s;
}

/** Creates the API for a VU lookup (the context's own VU, or whichever is running). */
export function createSseApi(vu: () => VuState): SseApi {
  return {
    connect: (url, opts = {}) => {
      const v = vu();
      return openStream(v, url, opts, slot(v).open);
    },
  };
}

/** Closes the streams an iteration left open. */
export function closeStreams(vu: VuState): void {
  const s = vu.slots.get(SSE) as Slot | undefined;
  for (const x of [...s?.open ?? []]) x.close();
}
