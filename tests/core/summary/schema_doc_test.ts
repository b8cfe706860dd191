import { equal } from "node:assert/strict";
import { summaryJsonSchema } from "../../../tools/gen_summary_schema.ts";

Deno.test("docs/summary.schema.json matches the zod schema (run deno task schema)", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../../docs/summary.schema.json", import.meta.url),
  );
  equal(committed, summaryJsonSchema());
});
