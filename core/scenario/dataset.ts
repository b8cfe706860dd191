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
import { isAbsolute, join } from "node:path";
import { createReadStream } from "node:fs";
import type { Segment } from "../types.ts";

/** How rows are picked. */
export type PickMode = "sequential" | "random" | "unique";

/** Options of a dataset. */
export interface DatasetOptions {
  /** @default "sequential" */
  pick?: PickMode;
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
  readonly #rows: readonly T[];
  readonly #pick: PickMode;
  #k = 0;

  /** Wraps loaded rows (use `dataset.csv` / `dataset.json`). */
  constructor(rows: readonly T[], pick: PickMode = "sequential") {
    this.#rows = rows;
    this.#pick = pick;
  }

  /** Number of rows. */
  get length(): number {
    return this.#rows.length;
  }

  /** Row `i` (read-only). */
  at(i: number): T | undefined {
    return this.#rows.at(i);
  }

  /** The next row by the pick mode. Unique picking throws once every row of this segment was used. */
  next(): T {
    const n = this.#rows.length;
    if (n === 0) throw new Error("The dataset is empty");
    if (this.#pick === "random") return this.#rows[Math.floor(Math.random() * n)];
    const i = segment.index + this.#k * segment.count;
    this.#k++;
    if (this.#pick === "unique") {
      if (i >= n) throw new Error(`The unique dataset is exhausted: all ${n} rows were used`);
      return this.#rows[i];
    }
    return this.#rows[i % n];
  }
}

function resolvePath(path: string | URL): string {
  if (path instanceof URL) return path.pathname;
  return isAbsolute(path) ? path : join(baseDir, path);
}

/** Loads datasets. */
export const dataset = {
  /** A CSV file with a header row; rows become objects keyed by the header. */
  async csv(
    path: string | URL,
    options: DatasetOptions = {},
  ): Promise<Dataset<Record<string, string>>> {
    const file = resolvePath(path);
    const rows: Record<string, string>[] = [];
    const parser = createReadStream(file).pipe(
      parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }),
    );
    try {
      for await (const row of parser) rows.push(row);
    } catch (e) {
      throw new Error(`Cannot load CSV dataset "${file}": ${e instanceof Error ? e.message : e}`);
    }
    return new Dataset(rows, options.pick);
  },

  /** A JSON file holding an array. */
  async json<T = unknown>(path: string | URL, options: DatasetOptions = {}): Promise<Dataset<T>> {
    const file = resolvePath(path);
    let data: unknown;
    try {
      data = JSON.parse(await Deno.readTextFile(file));
    } catch (e) {
      throw new Error(`Cannot load JSON dataset "${file}": ${e instanceof Error ? e.message : e}`);
    }
    if (!Array.isArray(data)) throw new Error(`JSON dataset "${file}" must hold an array`);
    return new Dataset(data as T[], options.pick);
  },
};
