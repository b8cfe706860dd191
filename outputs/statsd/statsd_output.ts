/**
 * `--out statsd=host:8125` and `--out datadog=host:8125`: each interval as StatsD lines (see
 * {@link statsdLines}) over UDP, packed into datagrams of at most {@link DEFAULT_MTU} bytes.
 * UDP goes through `node:dgram` (Deno's own datagram API still needs `--unstable-net`).
 *
 * @module
 */
import dgram from "node:dgram";
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import { ConfigError } from "../../core/errors.ts";
import { createSnapshot, mergeSnapshot, type Snapshot } from "../../core/metrics/snapshot.ts";
import { releaseHistogram } from "../../core/metrics/histogram.ts";
import { formatDuration } from "../../core/units.ts";
import { Sink, type SinkStats } from "../_sink.ts";
import { makeTestId, type StreamOptions } from "../_stream.ts";
import { packLines, type StatsdFlavor, statsdLines } from "./lines.ts";

/** Largest datagram: fits a 1500-byte Ethernet MTU with IPv6 and UDP headers. */
export const DEFAULT_MTU = 1432;

/** Options of the StatsD output. */
export interface StatsdOptions extends StreamOptions {
  /** `statsd` (no tags) or `datadog` (DogStatsD tags). */
  flavor: StatsdFlavor;
  /** Put before every metric name. @default "rampa." */
  prefix?: string;
  /** The `testid` tag (datadog). @default a time-based id */
  testId?: string;
  /** Largest datagram, bytes. @default DEFAULT_MTU */
  mtu?: number;
  /** Receives the one-time failure line. @default console.error */
  warn?: (line: string) => void;
  /** Longest the final flush may take, ms. @default 10000 */
  flushTimeoutMs?: number;
}

/** A StatsD output, with its delivery figures (batches are intervals). */
export interface StatsdOutput extends Output {
  /** Delivery figures: intervals sent, failed attempts, dropped intervals, the last error. */
  stats(): SinkStats;
}

/** Splits `host:port` (`[::1]:8125` for IPv6); a ConfigError when it is not one. */
export function parseHostPort(name: string, target: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:/]+)):(\d{1,5})$/.exec(target);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new ConfigError(
      `Invalid ${name} target "${target}": expected host:port, e.g. 127.0.0.1:8125`,
    );
  }
  return { host: m[1] ?? m[2], port };
}

/** Creates the StatsD or DogStatsD output. */
export function createStatsdOutput(target: string, options: StatsdOptions): StatsdOutput {
  return new UdpStatsdOutput(target, options);
}

class UdpStatsdOutput implements StatsdOutput {
  readonly #target: string;
  readonly #o: StatsdOptions;
  readonly #host: string;
  readonly #port: number;
  readonly #sink: Sink<Uint8Array[]>;
  #socket: dgram.Socket | null = null;
  #testId = "";
  #acc: Snapshot = createSnapshot();
  #accMs = 0;

  constructor(target: string, options: StatsdOptions) {
    this.#target = target;
    this.#o = options;
    ({ host: this.#host, port: this.#port } = parseHostPort(options.flavor, target));
    this.#sink = new Sink<Uint8Array[]>({
      label: this.describe(),
      warn: options.warn,
      flushTimeoutMs: options.flushTimeoutMs,
      attempts: 1,
      send: (packets) => this.#send(packets),
    });
  }

  describe(): string {
    return `${this.#o.flavor} (${this.#target}, every ${formatDuration(this.#o.intervalMs)})`;
  }

  start(info: RunInfo): void {
    this.#testId = makeTestId(info.startedAt, this.#o.testId);
    const family = this.#host.includes(":") ? "udp6" : "udp4";
    this.#socket = dgram.createSocket(family);
    // A send error is reported through the callback; an unhandled 'error' event would throw.
    this.#socket.on("error", () => {});
    this.#socket.unref();
  }

  push(tick: Tick): void {
    mergeSnapshot(this.#acc, tick.delta, "time");
    this.#accMs += tick.intervalMs;
    if (this.#accMs >= this.#o.intervalMs - tick.intervalMs / 2) this.#emit();
  }

  async stop(): Promise<void> {
    if (this.#accMs > 0) this.#emit();
    await this.#sink.close();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.#sink.checkRequired(this.#o.required);
  }

  stats(): SinkStats {
    return this.#sink.stats();
  }

  #emit(): void {
    const lines = statsdLines(this.#acc, this.#o.flavor, this.#o.prefix ?? "rampa.", this.#testId);
    for (const s of this.#acc.series.values()) if (s.hist) releaseHistogram(s.hist);
    this.#acc = createSnapshot();
    this.#accMs = 0;
    if (lines.length) this.#sink.enqueue(packLines(lines, this.#o.mtu ?? DEFAULT_MTU));
  }

  async #send(packets: Uint8Array[]): Promise<void> {
    const socket = this.#socket;
    if (!socket) throw new Error("socket closed");
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      // A burst of datagrams overflows a receiver's socket buffer (they are then lost
      // silently): give way every few packets.
      if (i > 0 && i % 8 === 0) await new Promise((r) => setTimeout(r, 1));
      await new Promise<void>((resolve, reject) =>
        socket.send(p, this.#port, this.#host, (e) => (e ? reject(e) : resolve()))
      );
    }
  }
}
