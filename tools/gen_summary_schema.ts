/**
 * Writes `docs/summary.schema.json` from the zod schema (the source of truth). Run with
 * `deno task schema`; a test fails when the committed file is stale.
 *
 * @module
 */
import { z } from "zod";
import { SummarySchema } from "../core/summary/schema.ts";

/** The JSON Schema text for summary files. */
export function summaryJsonSchema(): string {
  const schema = z.toJSONSchema(SummarySchema, { target: "draft-2020-12" });
  return JSON.stringify(
    { ...schema, $id: "https://rampa.dev/schema/summary-v1.json", title: "rampa summary v1" },
    null,
    2,
  ) + "\n";
}

if (import.meta.main) {
  const path = new URL("../docs/summary.schema.json", import.meta.url);
  await Deno.writeTextFile(path, summaryJsonSchema());
  console.log(`wrote ${path.pathname}`);
}
