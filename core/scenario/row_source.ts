/**
 * Where a dataset's rows come from, in a file of its own so that dataset.ts (which picks rows)
 * and csv_index.ts (which reads them from disk on demand) share it without importing each
 * other.
 *
 * @example
 * ```ts
 * import type { RowSource } from "./row_source.ts";
 *
 * const rows = ["a", "b"];
 * const source: RowSource<string> = { length: rows.length, at: (i) => rows[i] };
 * console.log(source.at(1)); // "b"
 * ```
 *
 * @module
 */

/** Where a dataset's rows come from: memory, or a file read row by row. */
export interface RowSource<T> {
  /** How many rows there are. */
  readonly length: number;
  /** Row `i`, for `0 <= i < length`. */
  at(i: number): T;
}
