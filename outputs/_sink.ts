/**
 * The delivery rules every streaming output shares (Prometheus, InfluxDB, OTLP, StatsD,
 * webhooks): a bounded queue of batches, a bounded number of attempts per batch with back-off,
 * then the batch is dropped and counted; a final flush bounded in time. Nothing here ever
 * blocks the caller: {@link Sink.enqueue} is synchronous and only appends, and sending happens
 * on the sink's own async loop on the collector's thread, never on a load thread.
 *
 * A failing sink says so once (not per batch), and its message and description never hold
 * credentials: user info and secret-looking option values are replaced by `***`.
 *
 * @example
 * ```ts
 * import { Sink } from "./_sink.ts";
 * const sink = new Sink<string>({
 *   label: "webhook (https://example.test/hook)",
 *   send: async (body, signal) => {
 *     const res = await fetch("https://example.test/hook", { method: "POST", body, signal });
 *     await res.body?.cancel();
 *     if (!res.ok) throw new Error(`HTTP ${res.status}`);
 *   },
 * });
 * sink.enqueue("{}");
 * await sink.close();
 * console.log(sink.stats());
 * ```
 *
 * @module
 */
import { ConfigError, ExitCode, RampaError } from "../core/errors.ts";

/** What a streaming output reports about its delivery. Counts are batches (requests, packets). */
export interface SinkStats {
  /** Batches delivered. */
  sent: number;
  /** Attempts that failed (each retry counts). */
  failed: number;
  /** Batches given up: queue full, attempts exhausted, or still queued at the flush deadline. */
  dropped: number;
  /** The last error, redacted; null when none. */
  lastError: string | null;
}

/** How a {@link Sink} delivers. */
export interface SinkOptions<T> {
  /** The output as `describe()` shows it (already redacted), for the one-time message. */
  label: string;
  /** Sends one batch; rejects on failure. Must honour `signal` (attempt timeout, shutdown). */
  send(batch: T, signal: AbortSignal): Promise<void>;
  /** Batches kept waiting; beyond it the oldest is dropped. @default 64 */
  maxQueue?: number;
  /** Attempts per batch, the first included. @default 3 */
  attempts?: number;
  /** First back-off, doubled after each failed attempt. @default 200 */
  backoffMs?: number;
  /** Longest one attempt may take before it is aborted. @default 5000 */
  attemptTimeoutMs?: number;
  /** Longest the final flush may take; what is left then is dropped. @default 10000 */
  flushTimeoutMs?: number;
  /** Strings never to print (tokens, passwords); replaced by `***` in every message. */
  secrets?: readonly string[];
  /** Receives the one-time failure line. @default console.error */
  warn?: (line: string) => void;
}

/** A bounded, retrying, never-blocking delivery queue. */
export class Sink<T> {
  readonly #o: Required<Omit<SinkOptions<T>, "secrets">> & { secrets: readonly string[] };
  readonly #queue: T[] = [];
  readonly #stats: SinkStats = { sent: 0, failed: 0, dropped: 0, lastError: null };
  readonly #shutdown = new AbortController();
  #pumping: Promise<void> | null = null;
  #warned = false;
  #closing = false;

  /** Creates the sink; nothing is sent until a batch is queued. */
  constructor(options: SinkOptions<T>) {
    this.#o = {
      maxQueue: 64,
      attempts: 3,
      backoffMs: 200,
      attemptTimeoutMs: 5_000,
      flushTimeoutMs: 10_000,
      warn: (line) => console.error(line),
      ...definedOnly(options),
      label: options.label,
      send: options.send,
      secrets: (options.secrets ?? []).filter((s) => s.length > 0),
    };
  }

  /** Queues a batch and returns at once; drops (and counts) the oldest when the queue is full. */
  enqueue(batch: T): void {
    if (this.#closing && this.#shutdown.signal.aborted) {
      this.#stats.dropped++;
      return;
    }
    this.#queue.push(batch);
    while (this.#queue.length > this.#o.maxQueue) {
      this.#queue.shift();
      this.#stats.dropped++;
      this.#fail(new Error(`queue full (${this.#o.maxQueue} batches): sink too slow`), false);
    }
    this.#pumping ??= this.#pump().finally(() => {
      this.#pumping = null;
    });
  }

  /** Delivery figures so far (a copy). */
  stats(): SinkStats {
    return { ...this.#stats };
  }

  /** Whether anything was lost: a batch dropped, or an attempt failed and never delivered. */
  get lost(): boolean {
    return this.#stats.dropped > 0;
  }

  /** Replaces every secret in a text by `***`. */
  redact(text: string): string {
    let out = text;
    for (const s of this.#o.secrets) out = out.split(s).join("***");
    return out;
  }

  /**
   * Sends what is queued, within `flushTimeoutMs`; whatever is still queued or in flight then
   * is dropped and counted. Never rejects.
   */
  async close(): Promise<void> {
    this.#closing = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#o.flushTimeoutMs);
    });
    await Promise.race([this.#drained(), deadline]);
    clearTimeout(timer);
    if (this.#pumping || this.#queue.length) {
      this.#stats.dropped += this.#queue.length;
      this.#queue.length = 0;
      this.#shutdown.abort();
      await this.#pumping;
    }
  }

  /** Throws a RampaError (exit code 9) when the output was required and lost anything. */
  checkRequired(required: boolean): void {
    if (!required || !this.lost) return;
    const s = this.#stats;
    throw new RampaError(
      `Required output ${this.#o.label} lost ${s.dropped} batch(es) (${s.sent} sent, ` +
        `${s.failed} failed attempts): ${s.lastError ?? "unknown error"}`,
      ExitCode.OUTPUT_FAILED,
    );
  }

  async #drained(): Promise<void> {
    while (this.#pumping) await this.#pumping;
  }

  async #pump(): Promise<void> {
    // Off the caller's stack: encoding and sending happen on a timer, never inside push().
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (this.#queue.length) {
      const batch = this.#queue.shift()!;
      let delivered = false;
      for (let attempt = 1; attempt <= this.#o.attempts && !delivered; attempt++) {
        if (this.#shutdown.signal.aborted) break;
        const signal = AbortSignal.any([
          this.#shutdown.signal,
          AbortSignal.timeout(this.#o.attemptTimeoutMs),
        ]);
        try {
          await this.#o.send(batch, signal);
          delivered = true;
        } catch (e) {
          this.#stats.failed++;
          this.#fail(e, true);
          if (attempt < this.#o.attempts) {
            await this.#sleep(this.#o.backoffMs * 2 ** (attempt - 1));
          }
        }
      }
      if (delivered) this.#stats.sent++;
      else this.#stats.dropped++;
    }
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#shutdown.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done);
    });
  }

  #fail(e: unknown, retrying: boolean): void {
    const msg = describeError(e, this.#o.attemptTimeoutMs);
    this.#stats.lastError = this.redact(msg);
    if (this.#warned) return;
    this.#warned = true;
    const then = retrying
      ? `retrying ${this.#o.attempts - 1} time(s), then dropping`
      : "dropping the oldest batches";
    this.#o.warn(
      `! output ${this.#o.label} failing: ${this.#stats.lastError}; ${then} ` +
        `(the load is not affected; said once, counted in its stats)`,
    );
  }
}

/** One line for a failed attempt: fetch's "fetch failed" gains its cause (refused, DNS…). */
function describeError(e: unknown, timeoutMs: number): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  const cause = e.cause instanceof Error ? e.cause.message : "";
  return cause && !e.message.includes(cause) ? `${e.message}: ${cause}` : e.message;
}

/** The fields of `o` whose value is not undefined (so they never hide a default). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const SECRET_KEYS = /^(token|password|passwd|pass|p|secret|key|api[_-]?key|auth|authorization)$/i;

/**
 * A URL or `--out` target with credentials hidden: user info becomes `***@`, and values of
 * secret-looking query keys (`token`, `password`, `p`, `api_key`, …) become `***`.
 */
export function redactUrl(text: string): string {
  let out = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1***@");
  out = out.replace(/([?&])([^=&#]+)=([^&#]*)/g, (all, sep: string, key: string) => {
    return SECRET_KEYS.test(key) ? `${sep}${key}=***` : all;
  });
  return out;
}

/** The user info of a URL (user name and password), for a sink's list of secrets. */
export function urlSecrets(target: string): string[] {
  try {
    const u = new URL(target);
    return [u.password, decodeURIComponent(u.password), u.username].filter((s) => s.length > 3);
  } catch {
    return [];
  }
}

/**
 * POSTs a body and resolves on a 2xx answer; rejects with `HTTP <status>: <start of the body>`
 * otherwise. The answer's body is always consumed, so the connection can be reused.
 */
export async function postBody(
  url: string,
  body: BodyInit,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  const res = await fetch(url, { method: "POST", body, headers, signal });
  const text = await res.text();
  if (!res.ok) {
    const detail = text.trim().slice(0, 200);
    throw new Error(`HTTP ${res.status}${detail ? `: ${detail}` : ""}`);
  }
}

/**
 * Splits credentials off an http(s) URL: fetch refuses user info, so it goes into a Basic
 * `Authorization` header. Throws a ConfigError naming the (redacted) target when it is no URL.
 */
export function httpTarget(
  name: string,
  target: string,
): { url: string; headers: Record<string, string>; secrets: string[] } {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    u = null as unknown as URL;
  }
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:")) {
    throw new ConfigError(
      `Invalid ${name} target "${redactUrl(target)}": expected an http:// or https:// URL`,
    );
  }
  const headers: Record<string, string> = {};
  const secrets = urlSecrets(target);
  if (u.username || u.password) {
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    const basic = btoa(`${user}:${pass}`);
    headers.authorization = `Basic ${basic}`;
    secrets.push(basic);
    u.username = "";
    u.password = "";
  }
  return { url: u.toString(), headers, secrets };
}

/**
 * The sending side of a cumulative exporter (Prometheus, OTLP): every tick replaces the latest
 * state, and one state per interval is enqueued; `stop` sends the last one. Cumulative series
 * make a dropped batch cost resolution, never totals.
 */
export class LatestPerInterval<T> {
  readonly #sink: Sink<T>;
  readonly #intervalMs: number;
  #latest: T | null = null;
  #lastSentAt = 0;

  /** Sends through `sink` once per `intervalMs` of run time. */
  constructor(sink: Sink<T>, intervalMs: number) {
    this.#sink = sink;
    this.#intervalMs = intervalMs;
  }

  /** Takes this tick's state (already copied out of the tick) and enqueues it when due. */
  offer(state: T, elapsedMs: number, tickMs: number): void {
    this.#latest = state;
    if (elapsedMs - this.#lastSentAt >= this.#intervalMs - tickMs / 2) {
      this.#lastSentAt = elapsedMs;
      this.#sink.enqueue(state);
      this.#latest = null;
    }
  }

  /** Sends what is unsent, flushes (time-bounded), and fails a required sink that failed. */
  async stop(required: boolean): Promise<void> {
    if (this.#latest) this.#sink.enqueue(this.#latest);
    this.#latest = null;
    await this.#sink.close();
    this.#sink.checkRequired(required);
  }

  /** The sink's delivery counts. */
  stats(): SinkStats {
    return this.#sink.stats();
  }
}
