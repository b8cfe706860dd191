/**
 * The shape of a declarative scenario file, as a strict zod schema: unknown keys, wrong types
 * and contradictions (`json` with `body`, `steps` with `flows`) are errors, never ignored. The
 * `options:` block is not described here: it is checked by the very function that checks a
 * TypeScript scenario's `options` (see `validate.ts`).
 *
 * @module
 */
import { z } from "zod";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A scalar written where text is meant (`X-Id: 42`); numbers and booleans become text. */
const text = z.union([z.string(), z.number(), z.boolean()], {
  error: "expected text (a string, number or boolean)",
}).transform(String);

/** A duration: `"100ms"`, `"2s"`, or a number of milliseconds (as in `options`). */
const duration = z.union([z.string(), z.number().nonnegative()], {
  error: "expected a duration such as 100ms or 2s, or a number of milliseconds",
});

const record = (what: string) =>
  z.record(z.string(), text, { error: `expected a map of ${what}` }).optional();

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** What one step sends. */
export const RequestSchema = z.strictObject({
  /** @default "GET" */
  method: z.string().transform((m) => m.toUpperCase()).pipe(
    z.enum(METHODS, { error: `expected one of ${METHODS.join(", ")}` }),
  ).optional(),
  url: z.string({ error: "expected the request URL as a string" }).min(1, "must not be empty"),
  /** The metric `name` tag (e.g. `/items/{id}` for URLs with ids). */
  name: z.string().min(1).optional(),
  headers: record("header names to values"),
  query: record("query parameters to values"),
  json: z.unknown().optional(),
  body: z.string({ error: "expected the body as a string (use json: for JSON)" }).optional(),
  form: record("form fields to values"),
  timeout: duration.optional(),
}).superRefine((r, ctx) => {
  const given = (["json", "body", "form"] as const).filter((k) => r[k] !== undefined);
  if (given.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: [given[1]],
      message: `Use one of json, body and form, not ${given.join(" and ")}`,
    });
  }
});

const status = z.number().int().min(100, "expected a status from 100 to 599").max(
  599,
  "expected a status from 100 to 599",
);

/** What one step's response must satisfy; each entry is a named check. */
export const ExpectSchema = z.strictObject({
  status: z.union([status, z.array(status).min(1, "expected at least one status")], {
    error: "expected a status (200) or a list of statuses ([200, 201])",
  }).optional(),
  header: z.record(z.string(), text, { error: "expected a map of header names to text" })
    .optional(),
  /** A JSON Schema, inline or as a file path relative to the scenario file. */
  json: z.union([z.record(z.string(), z.unknown()), z.boolean(), z.string()], {
    error: "expected a JSON Schema (a map) or the path of a schema file",
  }).optional(),
  contains: z.union([z.string(), z.array(z.string()).min(1)], {
    error: "expected text or a list of texts",
  }).optional(),
});

/** One step: a request, its checks, its extracts and a pause after it. */
export const StepSchema = z.strictObject({
  name: z.string({ error: "every step needs a name (checks and groups are named after it)" })
    .min(1, "must not be empty").refine((n) => !n.includes("::"), "must not contain ::"),
  request: RequestSchema,
  expect: ExpectSchema.optional(),
  extract: z.record(
    z.string().regex(IDENT, "expected a variable name (letters, digits, _)"),
    z.string({ error: 'expected "$.json.path", "header:NAME" or "regex:PATTERN"' }),
    { error: "expected a map of variable names to sources" },
  ).optional(),
  think: duration.optional(),
});

/** A weighted alternative sequence of steps. */
export const FlowSchema = z.strictObject({
  /** Named flows are also exported under their name, for `options.scenarios.*.exec`. */
  name: z.string().regex(IDENT, "expected a name of letters, digits and _").optional(),
  /** @default 1 */
  weight: z.number().positive("expected a weight above 0").optional(),
  steps: z.array(StepSchema, { error: "expected a list of steps" }).min(
    1,
    "expected at least one step",
  ),
});

/** A dataset: a CSV file with a header row or a JSON array, picked like `dataset.csv()`. */
export const DataSchema = z.strictObject({
  csv: z.string().optional(),
  json: z.string().optional(),
  /** @default "sequential" */
  pick: z.enum(["sequential", "random", "unique"]).optional(),
}).superRefine((d, ctx) => {
  if ((d.csv === undefined) === (d.json === undefined)) {
    ctx.addIssue({ code: "custom", message: "Give exactly one of csv: and json: (a file path)" });
  }
});

/** The whole file. */
export const FileSchema = z.strictObject({
  options: z.unknown().optional(),
  data: z.record(
    z.string().regex(IDENT, "expected a dataset name (letters, digits, _)"),
    DataSchema,
    { error: "expected a map of dataset names" },
  ).optional(),
  steps: z.array(StepSchema, { error: "expected a list of steps" }).min(
    1,
    "expected at least one step",
  ).optional(),
  flows: z.array(FlowSchema, { error: "expected a list of flows" }).min(
    1,
    "expected at least one flow",
  ).optional(),
}, { error: "expected a map with options, data, steps or flows" }).superRefine((f, ctx) => {
  if ((f.steps === undefined) === (f.flows === undefined)) {
    ctx.addIssue({
      code: "custom",
      message: f.steps ? "Use steps: or flows:, not both" : "Missing steps: (or flows:)",
    });
  }
});

/** A validated file. */
export type DeclarativeFile = z.output<typeof FileSchema>;
/** A validated step. */
export type StepSpec = z.output<typeof StepSchema>;

/** The keys each kind of map accepts, for "Unknown key" messages. */
export const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  file: ["options", "data", "steps", "flows"],
  step: Object.keys(StepSchema.shape),
  request: Object.keys(RequestSchema.shape),
  expect: Object.keys(ExpectSchema.shape),
  flow: Object.keys(FlowSchema.shape),
  data: ["csv", "json", "pick"],
};
