/**
 * The compiled form of a declarative scenario: what one iteration does, as plain data built
 * once per thread. Templates are literal/variable arrays, JSONPaths are segment lists, checks
 * are closures made at compile time; running a step reads these and calls `ctx.http`.
 *
 * @module
 */
import type { CheckFn } from "../core/scenario/checks.ts";
import type { Dataset } from "../core/scenario/dataset.ts";
import type { HttpRequestOptions, HttpResponse } from "../engines/http/api.ts";
import type { JsonPath } from "./jsonpath.ts";

/**
 * How a variable's value is escaped where it lands: as is (URL paths, headers, raw bodies:
 * the user wrote the surrounding text), inside a JSON string literal, or as a query or form
 * value.
 */
export const Escape = { None: 0, Json: 1, Uri: 2 } as const;
/** One of {@link Escape}'s values. */
export type Escape = typeof Escape[keyof typeof Escape];

/** Where a variable's value comes from at run time. */
export type Slot =
  | { readonly k: "env"; readonly name: string }
  | { readonly k: "vu" }
  | { readonly k: "iteration" }
  | { readonly k: "scenario" }
  | { readonly k: "data"; readonly set: number; readonly column: string }
  | { readonly k: "var"; readonly slot: number; readonly name: string };

/** A compiled template: `lits.length === refs.length + 1`, text = lit0 ref0 lit1 ref1 … */
export interface Template {
  readonly lits: readonly string[];
  readonly refs: readonly Slot[];
  readonly escapes: readonly Escape[];
}

/** How a step takes a value from its response into a variable. */
export type Extract =
  | {
    readonly kind: "json";
    readonly slot: number;
    readonly name: string;
    readonly path: JsonPath;
    readonly source: string;
  }
  | {
    readonly kind: "header";
    readonly slot: number;
    readonly name: string;
    readonly header: string;
    readonly source: string;
  }
  | {
    readonly kind: "regex";
    readonly slot: number;
    readonly name: string;
    readonly re: RegExp;
    readonly source: string;
  };

/** One compiled step. */
export interface StepPlan {
  readonly name: string;
  readonly method: string;
  /** The URL with its query string. */
  readonly url: Template;
  readonly headers: readonly (readonly [string, Template])[];
  /**
   * The request options when no header has a variable: built once and passed to every request
   * (the HTTP client only reads them); null when headers are rendered per request.
   */
  readonly fixedOptions: HttpRequestOptions | null;
  readonly body: Template | null;
  /** The metric `name` tag; unset means rampa's default (origin + path). */
  readonly metricName: string | undefined;
  readonly timeoutMs: number | undefined;
  /** Named checks on the response, or null when the step expects nothing. */
  readonly checks: Readonly<Record<string, CheckFn<HttpResponse>>> | null;
  readonly extracts: readonly Extract[];
  /** The extracts as named checks (`<step> extract <name>`), or null without extracts. */
  readonly extractChecks: Readonly<Record<string, CheckFn<HttpResponse>>> | null;
  readonly thinkMs: number;
}

/** One sequence of steps, with its weight among the file's flows. */
export interface FlowPlan {
  readonly name: string | undefined;
  readonly weight: number;
  readonly steps: readonly StepPlan[];
  /** Datasets this flow reads: one row of each is picked per iteration. */
  readonly sets: readonly number[];
  /** How many extracted variables an iteration of this flow holds. */
  readonly slots: number;
}

/** An opened dataset and the columns its rows have (null when unknown: empty or not objects). */
export interface OpenDataset {
  readonly name: string;
  readonly rows: Dataset<unknown>;
  readonly columns: ReadonlySet<string> | null;
}

/** The compiled scenario. */
export interface Plan {
  readonly flows: readonly FlowPlan[];
  readonly datasets: readonly OpenDataset[];
}

/** The options of one request, without keys for what the step leaves unset. */
export function requestOptions(
  headers: Record<string, string>,
  name: string | undefined,
  timeoutMs: number | undefined,
): HttpRequestOptions {
  const o: HttpRequestOptions = { headers };
  if (name !== undefined) o.name = name;
  if (timeoutMs !== undefined) o.timeout = timeoutMs;
  return o;
}
