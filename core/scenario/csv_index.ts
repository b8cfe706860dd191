/**
 * A CSV file as rows read on demand: one streaming pass records where each record ends (8
 * bytes per row), then `at(i)` reads and parses just that record from disk. Memory stays
 * bounded whatever the file's size; quoted fields with commas and newlines keep working
 * because the record boundaries come from the CSV parser itself, not from line breaks.
 *
 * @module
 */
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { createReadStream } from "node:fs";
import type { RowSource } from "./row_source.ts";

/** Indexes `file` (header row first) and returns its rows as a source. */
export async function indexCsv(file: string): Promise<RowSource<Record<string, string>>> {
  let ends = new Float64Array(1024);
  let n = -1; // the header is record -1
  let start = 0;
  let header: string[] = [];
  const parser = createReadStream(file).pipe(
    parse({ info: true, bom: true, skip_empty_lines: true, trim: true }),
  );
  try {
    for await (const { record, info } of parser) {
      if (n === -1) {
        header = record;
        start = info.bytes;
      } else {
        if (n === ends.length) {
          const grown = new Float64Array(ends.length * 2);
          grown.set(ends);
          ends = grown;
        }
        ends[n] = info.bytes;
      }
      n++;
    }
  } catch (e) {
    throw new Error(`Cannot load CSV dataset "${file}": ${e instanceof Error ? e.message : e}`);
  }
  const count = Math.max(0, n);
  const fd = Deno.openSync(file, { read: true });
  return {
    length: count,
    at(i: number): Record<string, string> {
      const from = i === 0 ? start : ends[i - 1];
      const buf = new Uint8Array(ends[i] - from);
      fd.seekSync(from, Deno.SeekMode.Start);
      let off = 0;
      while (off < buf.length) {
        const got = fd.readSync(buf.subarray(off));
        if (got === null) break;
        off += got;
      }
      const [fields] = parseSync(buf.subarray(0, off), {
        skip_empty_lines: true,
        trim: true,
      }) as string[][];
      const row: Record<string, string> = {};
      for (let c = 0; c < header.length; c++) row[header[c]] = fields?.[c] ?? "";
      return row;
    },
  };
}
