/**
 * Read-only test data shared by every VU of a thread: `await dataset.csv("users.csv")` or
 * `dataset.json(...)`, loaded once, then `next()` per use. Picking is `sequential` (rows in
 * order, wrapping), `random`, or `unique` (each row at most once in the whole run; running out
 * is an error). Under segments (workers, hosts), sequential and unique picking are striped, so
 * unique stays unique across the whole run without any coordination.
 *
 * CSV is parsed as a stream (csv-parse) into rows, never held as one big string.
 *
 * @module
 */
import { parse } from "csv-parse";
import { indexCsv } from "./csv_index.ts";
import { isAbsolute, join } from "node:path";
import { createReadStream } from "node:fs";
import type { Segment } from "../types.ts";
import type { RowSource } from "./row_source.ts";

/** How rows are picked. */
export type PickMode = "sequential" | "random" | "unique";

/** Options of a dataset. */
export interface DatasetOptions {
  /** @default "sequential" */
  pick?: PickMode;
  /**
   * CSV only: keep just each row's byte range in memory and read rows from disk on use, so a
   * file of any size costs 8 bytes per row. `"auto"` does so for files over 64 MiB.
   * @default "auto"
   */
  stream?: boolean | "auto";
}

/** Files above this size are streamed (indexed) rather than loaded whole. */
export const STREAM_ABOVE_BYTES = 64 * 1024 * 1024;

export type { RowSource } from "./row_source.ts";

function arraySource<T>(rows: readonly T[]): RowSource<T> {
  return { length: rows.length, at: (i) => rows[i] };
}

let baseDir = ".";
let segment: Segment = { index: 0, count: 1 };

/** Sets the directory relative paths resolve against (the scenario file's folder). */
export function setDatasetBase(dir: string): void {
  baseDir = dir;
}

/** Sets this thread's segment, for striped sequential and unique picking. */
export function setDatasetSegment(seg: Segment): void {
  segment = seg;
}

/** Rows picked by a shared cursor. */
export class Dataset<T> {
  readonly #rows: RowSource<T>;
  readonly #pick: PickMode;
  #k = 0;

  /** Wraps rows (use `dataset.csv` / `dataset.json`). */
  constructor(rows: readonly T[] | RowSource<T>, pick: PickMode = "sequential") {
    this.#rows = Array.isArray(rows) ? arraySource(rows) : rows as RowSource<T>;
    this.#pick = pick;
  }

  /** Number of rows. */
  get length(): number {
    return this.#rows.length;
  }

  /** Row `i` (read-only); negative counts from the end. */
  at(i: number): T | undefined {
    const n = this.#rows.length;
    const j = i < 0 ? n + i : i;
    return j >= 0 && j < n ? this.#rows.at(j) : undefined;
  }

  /** The next row by the pick mode. Unique picking throws once every row of this segment was used. */
  next(): T {
    const n = this.#rows.length;
    if (n === 0) throw new Error("The dataset is empty");
    if (this.#pick === "random") return this.#rows.at(Math.floor(Math.random() * n));
    const i = segment.index + this.#k * segment.count;
    this.#k++;
    if (this.#pick === "unique") {
      if (i >= n) throw new Error(`The unique dataset is exhausted: all ${n} rows were used`);
      return this.#rows.at(i);
    }
    return this.#rows.at(i % n);
  }
}

function resolvePath(path: string | URL): string {
  if (path instanceof URL) return path.pathname;
  return isAbsolute(path) ? path : join(baseDir, path);
}

/** Largest JSON dataset read whole (CSV datasets stream from disk at any size). */
export const MAX_JSON_DATASET_BYTES = 512 * 1024 * 1024;

/**
 * The file's info when it is a regular file: `/dev/zero` or a FIFO would be read forever, and a
 * folder gives a confusing parser error.
 */
async function regularFile(file: string, kind: string): Promise<Deno.FileInfo> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(file);
  } catch (e) {
    throw new Error(`Cannot load ${kind} dataset "${file}": ${e instanceof Error ? e.message : e}`);
  }
  if (!info.isFile) throw new Error(`Cannot load ${kind} dataset "${file}": not a regular file`);
  return info;
}

/** Loads datasets. */
export const dataset = {
  /** A CSV file with a header row; rows become objects keyed by the header. */
  async csv(
    path: string | URL,
    options: DatasetOptions = {},
  ): Promise<Dataset<Record<string, string>>> {
    const file = resolvePath(path);
    const size = (await regularFile(file, "CSV")).size;
    const stream = options.stream ?? "auto";
    if (stream === true || (stream === "auto" && size > STREAM_ABOVE_BYTES)) {
      return new Dataset(await indexCsv(file), options.pick);
    }
    const rows: Record<string, string>[] = [];
    const parser = createReadStream(file).pipe(
      parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }),
    );
    try {
      for await (const row of parser) rows.push(row);
    } catch (e) {
      throw new Error(`Cannot load CSV dataset "${file}": ${e instanceof Error ? e.message : e}`);
    }
    return new Dataset<Record<string, string>>(rows, options.pick);
  },

  /** A JSON file holding an array. */
  async json<T = unknown>(path: string | URL, options: DatasetOptions = {}): Promise<Dataset<T>> {
    const file = resolvePath(path);
    const info = await regularFile(file, "JSON");
    if (info.size > MAX_JSON_DATASET_BYTES) {
      throw new Error(
        `JSON dataset "${file}" is ${info.size} bytes, more than ${MAX_JSON_DATASET_BYTES} ` +
          "(JSON is read whole; use a CSV dataset, which streams)",
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(await Deno.readTextFile(file));
    } catch (e) {
      throw new Error(`Cannot load JSON dataset "${file}": ${e instanceof Error ? e.message : e}`);
    }
    if (!Array.isArray(data)) throw new Error(`JSON dataset "${file}" must hold an array`);
    return new Dataset<T>(data as T[], options.pick);
  },
};
