/**
 * The CSV time-series output: one record per interval × metric × tag set (columns documented
 * in `csv_output.ts` and `docs/outputs.md`).
 *
 * @example
 * ```ts
 * import { createCsvOutput, parseCsvTarget } from "./mod.ts";
 * const { path, options } = parseCsvTarget("results.csv?interval=5s");
 * const output = createCsvOutput(path, options);
 * ```
 *
 * @module
 */
export {
  createCsvOutput,
  csvOutputFromTarget,
  type CsvOutputOptions,
  FLUSH_EVERY_MS,
  parseCsvOptions,
  parseCsvTarget,
} from "./csv_output.ts";
export {
  CSV_COLUMNS,
  CSV_EOL,
  CSV_HEADER,
  csvField,
  formatTags,
  intervalRows,
  type IntervalSpan,
} from "./rows.ts";
