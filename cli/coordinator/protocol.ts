/**
 * What hosts and the coordinator of a fleet run say to each other, over HTTP with a shared
 * token (`Authorization: Bearer $RAMPA_FLEET_TOKEN`). Hosts join and are given a segment and
 * the start instant, post their interval deltas (the summary file's snapshot encoding, so the
 * coordinator merges exactly what `rampa merge` would), and finally their whole summary.
 *
 * @module
 */
import type { EncodedSnapshot } from "../../core/metrics/snapshot.ts";
import type { RunInfo } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import type { Segment } from "../../core/types.ts";

/** Host → coordinator, `POST /join`. */
export interface JoinRequest {
  /** A name for messages (hostname, pod name). */
  readonly host: string;
  /** The segment the host was given with `--segment i/N`, or null to be assigned one. */
  readonly segment: Segment | null;
  readonly version: string;
}

/** Coordinator → host: sent once every expected host has joined. */
export interface JoinAnswer {
  readonly hostId: string;
  readonly segment: Segment;
  /** Wall-clock start instant, epoch ms. */
  readonly startAt: number;
}

/** Host → coordinator, `POST /ready`: prepared, with what the run plans (for the live view). */
export interface ReadyRequest {
  readonly hostId: string;
  readonly info: Omit<RunInfo, "startedAt">;
  /** The run's thresholds as written (judged live when the coordinator has none of its own). */
  readonly thresholds: Readonly<Record<string, readonly unknown[]>>;
}

/** Host → coordinator, `POST /delta`: one interval. */
export interface DeltaRequest {
  readonly hostId: string;
  readonly seq: number;
  readonly delta: EncodedSnapshot;
  /** The host's scheduler lag p99 and CPU share in this interval, for per-host health. */
  readonly lagP99Ms: number | null;
}

/** Coordinator → host, answer to `/delta`: a reason to stop, when the run must stop. */
export interface DeltaAnswer {
  readonly stop: string | null;
}

/** Host → coordinator, `POST /done`: the host's own summary, for the exact final merge. */
export interface DoneRequest {
  readonly hostId: string;
  readonly summary: Summary;
}
