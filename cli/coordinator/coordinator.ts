/**
 * `rampa coordinator`: one live view and one verdict for a run spread over N hosts. Hosts join
 * (`rampa run … --coordinator URL`) and are given a segment and one start instant; while they
 * run, their interval deltas feed one collector here (live progress, live thresholds with
 * abortOnFail stopping every host, every output including streaming ones); at the end their
 * summaries are merged exactly (the `rampa merge` path) and judged once. A host that falls
 * silent is lost with its share (exit 10); a host joining late or twice is refused; nobody
 * without the shared token can join or feed data.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import { ConfigError, ExitCode, RampaError } from "../../core/errors.ts";
import { decodeSnapshot } from "../../core/metrics/snapshot.ts";
import { Collector } from "../../core/run/collector.ts";
import type { Output } from "../../core/run/output.ts";
import { thresholdAliases } from "../../core/protocol/registry.ts";
import { knownMetrics, thresholdFlags } from "../../core/scenario/thresholds_setup.ts";
import { requestFamilies } from "../../core/summary/describe.ts";
import { mergeSummaries } from "../../core/summary/merge.ts";
import { SummarySchema } from "../../core/summary/schema.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { DEFAULT_POLICY, type EarlyEnd } from "../../core/summary/verdict.ts";
import { parseThresholds, type Threshold } from "../../core/thresholds/mod.ts";
import type { ThresholdsInput } from "../../core/thresholds/types.ts";
import type { Segment } from "../../core/types.ts";
import { parseDuration } from "../../core/units.ts";
import { registerBuiltinProtocols } from "../../engines/registry.ts";
import { outputsHelp } from "../../outputs/registry.ts";
import { deliverSummary } from "../../outputs/standard.ts";
import { standardOutputs } from "../outputs.ts";
import { parseFlags } from "../flags.ts";
import { thresholdsForMerge } from "../commands/merge.ts";
import type {
  DeltaAnswer,
  DeltaRequest,
  DoneRequest,
  JoinAnswer,
  JoinRequest,
  ReadyRequest,
} from "./protocol.ts";

/** Usage of `rampa coordinator`. */
export const COORDINATOR_USAGE: string = `Usage: rampa coordinator --expect N [options]

Waits for N hosts (rampa run … --coordinator http://THIS:PORT), gives each a segment and one
start instant, shows the merged run live, judges thresholds on the merged data (abortOnFail
stops every host) and exits with the run's exit code. Hosts and coordinator share a token in
RAMPA_FLEET_TOKEN; without it nobody can join.

Options:
  --expect <n>          Hosts to wait for (required)
  --port <n>            Port to listen on (default 7878)
  --host <addr>         Address to listen on (default 0.0.0.0: pods reach it by Service)
  --join-timeout <d>    How long to wait for every host to join (default 2m)
  --start-delay <d>     Time between the last join and the start, for hosts to import and
                        set up (default 10s)
  --threshold <expr>    Threshold judged on the merged data (repeatable; default: the hosts')
  --summary <file>      Merged JSON summary (default rampa-summary.json; --no-summary for none)
  --no-summary          Write no summary file
  --out <name=target>   Extra output (repeatable), one of:
{{outputs}}
  --quiet, -q           Only the verdict and errors
  --no-color            No colours
`;

const OPTIONS = {
  expect: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "join-timeout": { type: "string" },
  "start-delay": { type: "string" },
  threshold: { type: "string", multiple: true },
  summary: { type: "string" },
  "no-summary": { type: "boolean" },
  out: { type: "string", multiple: true, short: "o" },
  quiet: { type: "boolean", short: "q" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** A host's silence after which it is lost (it posts a delta every second). */
const HOST_SILENCE_MS = 5_000;
/** How long a host that stopped sending deltas may take to post its summary. */
const DONE_GRACE_MS = 60_000;

interface HostSlot {
  readonly id: string;
  readonly name: string;
  readonly segment: Segment;
  lastSeen: number;
  ready: boolean;
  done: Summary | null;
  lost: string | null;
  lagP99Ms: number | null;
}

/** Runs `rampa coordinator`; returns the exit code. */
export async function coordinatorCommand(args: string[]): Promise<number> {
  const { values: v } = parseFlags("coordinator", args, OPTIONS);
  if (v.help) {
    console.log(COORDINATOR_USAGE.replace("{{outputs}}", outputsHelp()));
    return ExitCode.OK;
  }
  const expect = Number(v.expect);
  if (!(Number.isInteger(expect) && expect >= 1 && expect <= 10_000)) {
    throw new ConfigError(
      `--expect: expected the number of hosts (1 to 10,000), got "${v.expect ?? ""}"`,
    );
  }
  const port = v.port === undefined ? 7878 : Number(v.port);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ConfigError(`Cannot parse --port "${v.port}": expected an integer from 0 to 65535`);
  }
  const joinTimeoutMs = parseDuration(v["join-timeout"] ?? "2m", "--join-timeout");
  const startDelayMs = parseDuration(v["start-delay"] ?? "10s", "--start-delay");
  const token = Deno.env.get("RAMPA_FLEET_TOKEN") ?? "";
  if (token.length < 16) {
    throw new ConfigError(
      "RAMPA_FLEET_TOKEN must be set (at least 16 characters, shared with the hosts): " +
        "without it anybody who reaches the port could join or feed data",
    );
  }
  registerBuiltinProtocols();
  const flagThresholds = thresholdFlags(v.threshold ?? []);
  // Checked now: a malformed threshold must not wait for N hosts to find out.
  const parse = (input: ThresholdsInput): Threshold[] =>
    parseThresholds(input, knownMetrics(), thresholdAliases());
  parse(flagThresholds as ThresholdsInput);

  const c = new Coordinator({
    expect,
    token,
    joinTimeoutMs,
    startDelayMs,
    flagThresholds: v.threshold?.length ? flagThresholds : null,
    flagList: v.threshold ?? [],
    parse,
    outputs: standardOutputs({
      outs: v.out ?? [],
      summaryPath: v["no-summary"] ? null : (v.summary ?? "rampa-summary.json"),
      color: !(v["no-color"] ?? false) && !Deno.noColor,
      quiet: v.quiet ?? false,
    }, null),
    report: (line) => console.error(line),
  });
  const server = Deno.serve({
    port,
    hostname: v.host ?? "0.0.0.0",
    onListen: ({ hostname, port }) =>
      console.error(`Coordinator on http://${hostname}:${port}: waiting for ${expect} hosts`),
    onError: () => new Response("internal error", { status: 500 }),
  }, (req) => c.handle(req));
  try {
    return await c.finished;
  } finally {
    await server.shutdown();
  }
}

interface CoordinatorOptions {
  readonly expect: number;
  readonly token: string;
  readonly joinTimeoutMs: number;
  readonly startDelayMs: number;
  readonly flagThresholds: Record<string, readonly unknown[]> | null;
  /** The `--threshold` flags as typed (judged again on the merged summaries). */
  readonly flagList: readonly string[];
  readonly parse: (input: ThresholdsInput) => Threshold[];
  readonly outputs: Output[];
  readonly report: (line: string) => void;
}

/** The coordinator's state machine: joining → running → merged. */
export class Coordinator {
  readonly #o: CoordinatorOptions;
  readonly #hosts = new Map<string, HostSlot>();
  readonly #joinWaiters: ((a: JoinAnswer | null) => void)[] = [];
  #startAt: number | null = null;
  #collector: Collector | null = null;
  #stop: string | null = null;
  #early: EarlyEnd | null = null;
  #finish!: (code: number) => void;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #joinTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves with the exit code once the run is merged and delivered. */
  readonly finished: Promise<number>;

  constructor(o: CoordinatorOptions) {
    this.#o = o;
    this.finished = new Promise((r) => (this.#finish = r));
    this.#joinTimer = setTimeout(() => this.#joinTimedOut(), o.joinTimeoutMs);
  }

  /** Answers one HTTP request of a host. */
  async handle(req: Request): Promise<Response> {
    if (!this.#authorized(req)) return json({ error: "unauthorized" }, 401);
    if (req.method !== "POST") return json({ error: "method not allowed" }, 405);
    const path = new URL(req.url).pathname;
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return json({ error: "expected a JSON body" }, 400);
    }
    switch (path) {
      case "/join":
        return await this.#join(body as JoinRequest);
      case "/ready":
        return this.#ready(body as ReadyRequest);
      case "/delta":
        return this.#delta(body as DeltaRequest);
      case "/done":
        return await this.#done(body as DoneRequest);
      default:
        return json({ error: "not found" }, 404);
    }
  }

  #authorized(req: Request): boolean {
    const got = new TextEncoder().encode(req.headers.get("authorization") ?? "");
    const want = new TextEncoder().encode(`Bearer ${this.#o.token}`);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  async #join(j: JoinRequest): Promise<Response> {
    if (this.#startAt !== null || this.#hosts.size >= this.#o.expect) {
      return json({ error: `the run already has its ${this.#o.expect} hosts` }, 409);
    }
    const n = this.#o.expect;
    let index: number;
    if (j.segment) {
      if (j.segment.count !== n) {
        return json({
          error: `segment ${j.segment.index}/${j.segment.count}: this run has ${n} hosts`,
        }, 409);
      }
      if ([...this.#hosts.values()].some((h) => h.segment.index === j.segment!.index)) {
        return json({ error: `segment ${j.segment.index}/${n} has already joined` }, 409);
      }
      index = j.segment.index;
    } else {
      const taken = new Set([...this.#hosts.values()].map((h) => h.segment.index));
      index = 0;
      while (taken.has(index)) index++;
    }
    const slot: HostSlot = {
      id: crypto.randomUUID(),
      name: uniqueName(String(j.host ?? "host").slice(0, 100), this.#hosts),
      segment: { index, count: n },
      lastSeen: performance.now(),
      ready: false,
      done: null,
      lost: null,
      lagP99Ms: null,
    };
    this.#hosts.set(slot.id, slot);
    this.#o.report(
      `host ${slot.name} joined as segment ${index}/${n} (${this.#hosts.size} of ${n})`,
    );
    const answer = new Promise<JoinAnswer | null>((r) => this.#joinWaiters.push(r));
    if (this.#hosts.size === n) this.#allJoined();
    const a = await answer;
    if (!a) return json({ error: "the run was cancelled: not every host joined in time" }, 503);
    return json({ ...a, hostId: slot.id, segment: slot.segment });
  }

  #allJoined(): void {
    clearTimeout(this.#joinTimer);
    this.#startAt = Date.now() + this.#o.startDelayMs;
    this.#o.report(
      `all ${this.#o.expect} hosts joined; starting at ${new Date(this.#startAt).toISOString()}`,
    );
    for (const w of this.#joinWaiters.splice(0)) {
      w({ hostId: "", segment: { index: 0, count: 1 }, startAt: this.#startAt });
    }
    this.#watchdog = setInterval(() => this.#watch(), 1000);
  }

  #joinTimedOut(): void {
    if (this.#startAt !== null) return;
    for (const w of this.#joinWaiters.splice(0)) w(null);
    this.#o.report(
      `error: only ${this.#hosts.size} of ${this.#o.expect} hosts joined within the join timeout`,
    );
    this.#finish(ExitCode.WORKER_LOST);
  }

  #ready(r: ReadyRequest): Response {
    const h = this.#hosts.get(r.hostId);
    if (!h) return json({ error: "unknown host" }, 403);
    h.ready = true;
    h.lastSeen = performance.now();
    if (!this.#collector) this.#startCollector(r);
    return json({ ok: true });
  }

  #startCollector(first: ReadyRequest): void {
    let thresholds: Threshold[] = [];
    try {
      thresholds = this.#o.parse(
        (this.#o.flagThresholds ?? first.thresholds) as ThresholdsInput,
      );
    } catch (e) {
      // The hosts' own thresholds name custom metrics this process does not know: they are
      // judged on the merged summaries at the end instead of live.
      if (!(e instanceof ConfigError)) throw e;
      this.#o.report(`! thresholds judged at the end only: ${e.message}`);
    }
    const collector = new Collector({
      outputs: this.#o.outputs,
      thresholds,
      families: requestFamilies(),
      report: this.#o.report,
      onAbort: (e) => {
        this.#early ??= e;
        this.#stop ??= e.reason;
        this.#o.report(`! ${e.reason}: stopping every host`);
      },
    });
    this.#collector = collector;
    const startAt = this.#startAt!;
    void collector.start({ ...first.info, startedAt: new Date(startAt) }).then(() => {
      collector.begin(performance.now() + (startAt - Date.now()));
    });
  }

  #delta(d: DeltaRequest): Response {
    const h = this.#hosts.get(d.hostId);
    if (!h || h.lost) return json({ error: "unknown or lost host" }, 403);
    h.lastSeen = performance.now();
    h.lagP99Ms = d.lagP99Ms;
    try {
      this.#collector?.add(decodeSnapshot(d.delta));
    } catch {
      return json({ error: "undecodable delta" }, 400);
    }
    return json({ stop: this.#stop } satisfies DeltaAnswer);
  }

  async #done(d: DoneRequest): Promise<Response> {
    const h = this.#hosts.get(d.hostId);
    if (!h || h.lost) return json({ error: "unknown or lost host" }, 403);
    const parsed = SummarySchema.safeParse(d.summary);
    if (!parsed.success) return json({ error: "invalid summary" }, 400);
    h.done = parsed.data;
    h.lastSeen = performance.now();
    this.#o.report(`host ${h.name} (segment ${h.segment.index}/${h.segment.count}) finished`);
    const resp = json({ ok: true });
    if ([...this.#hosts.values()].every((x) => x.done || x.lost)) queueMicrotask(() => this.#end());
    return await Promise.resolve(resp);
  }

  #watch(): void {
    const now = performance.now();
    const started = this.#startAt !== null && Date.now() > this.#startAt + 2_000;
    for (const h of this.#hosts.values()) {
      if (h.done || h.lost || !started) continue;
      const limit = h.ready ? HOST_SILENCE_MS : this.#o.startDelayMs + DONE_GRACE_MS;
      if (now - h.lastSeen > limit) {
        h.lost = `no word for ${Math.round((now - h.lastSeen) / 1000)} s`;
        this.#o.report(
          `! host ${h.name} (segment ${h.segment.index}/${h.segment.count}) lost: ${h.lost}; ` +
            "its share of the load is missing from the results",
        );
      }
    }
    if ([...this.#hosts.values()].every((x) => x.done || x.lost)) this.#end();
  }

  #ended = false;

  async #end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#watchdog);
    this.#collector?.end();
    const hosts = [...this.#hosts.values()];
    const inputs = hosts.filter((h) => h.done).map((h) => ({
      name: `${h.name} (segment ${h.segment.index}/${h.segment.count})`,
      summary: h.done!,
    }));
    if (inputs.length === 0) {
      this.#o.report("error: every host was lost; nothing to merge");
      this.#finish(ExitCode.WORKER_LOST);
      return;
    }
    let summary: Summary;
    try {
      summary = mergeSummaries(inputs, {
        thresholds: thresholdsForMerge(inputs, this.#o.flagList),
        policy: DEFAULT_POLICY,
      });
    } catch (e) {
      if (!(e instanceof RampaError)) throw e;
      this.#o.report(`error: ${e.message}`);
      this.#finish(e.exitCode);
      return;
    }
    summary.run.config = {
      ...summary.run.config,
      fleet: hosts.map((h) => ({
        host: h.name,
        segment: `${h.segment.index}/${h.segment.count}`,
        lost: h.lost,
        startSkewMs: h.done?.run.config.startSkewMs ?? null,
        lagP99Ms: h.done ? h.done.health.schedulerLag.p99 : h.lagP99Ms,
        cpu: h.done?.health.cpu ?? null,
        dropped: h.done?.load.dropped ?? null,
        verdict: h.done?.health.verdict ?? null,
      })),
    };
    const lost = hosts.filter((h) => h.lost);
    if (summary.verdict.passed && lost.length) {
      summary.verdict = {
        passed: false,
        exitCode: ExitCode.WORKER_LOST,
        summary: `FAILED: ${lost.length} of ${hosts.length} hosts were lost (${lost[0].name}: ${
          lost[0].lost
        })`,
      };
    }
    // One saturated host hides in a merge: name it.
    const bad = hosts.filter((h) => h.done && h.done.health.verdict !== "trustworthy");
    if (bad.length) {
      summary.verdict.warning = `results not trustworthy on ${
        bad.map((h) => h.name).join(", ")
      }: ` +
        bad[0].done!.health.verdict;
    }
    let exitCode = summary.verdict.exitCode;
    // Outputs the live collector never started (no host got ready) start and stop now.
    const failures = this.#collector
      ? await stopAll(this.#o.outputs, summary)
      : await deliverSummary(this.#o.outputs, summary);
    for (const e of failures) {
      this.#o.report(`error: ${e.message}`);
      if (exitCode === ExitCode.OK) exitCode = e.exitCode;
    }
    this.#o.report(
      hosts.map((h) =>
        `  host ${h.name} ${h.segment.index}/${h.segment.count}: ${
          h.lost ? `lost (${h.lost})` : h.done ? h.done.health.verdict : "no summary"
        }`
      ).join("\n"),
    );
    this.#finish(exitCode);
  }
}

/** `name`, or `name#2`, … when another host already has it (local runs share a hostname). */
function uniqueName(name: string, hosts: ReadonlyMap<string, HostSlot>): string {
  const taken = new Set([...hosts.values()].map((h) => h.name));
  if (!taken.has(name)) return name;
  let i = 2;
  while (taken.has(`${name}#${i}`)) i++;
  return `${name}#${i}`;
}

/** Stops outputs: files and sinks first, the console last (it shows their failures). */
async function stopAll(outputs: readonly Output[], summary: Summary): Promise<RampaError[]> {
  const failures: RampaError[] = [];
  const order = [...outputs.filter((o) => !o.reportsLast), ...outputs.filter((o) => o.reportsLast)];
  for (const o of order) {
    try {
      await o.stop(summary);
    } catch (e) {
      if (!(e instanceof RampaError)) throw e;
      failures.push(e);
    }
  }
  return failures;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
