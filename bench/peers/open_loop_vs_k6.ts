/**
 * Open loop at equal rates, rampa against k6: the same arrival rate against the same pinned
 * nginx, each generator pinned to CPU 0, rounds interleaved (rampa, k6, rampa, k6 …). rampa
 * runs with default flags (what a user gets: no `--workers 1`, no warm-up, default timing);
 * k6 with `constant-arrival-rate` and enough pre-allocated VUs. Reported per rate: CPU-seconds
 * per 10,000 requests (whole process, start-up included), scheduler lag p99 (rampa; k6 has no
 * such figure), dropped arrivals, and the ratio of medians. Not a test; run it by hand:
 *
 * ```sh
 * deno run -A bench/peers/open_loop_vs_k6.ts [--rates 1000,5000] [--seconds 10] [--rounds 3]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { measure } from "./measure.ts";
import { provideK6 } from "./k6_binary.ts";
import { rampaCli, readSummary } from "./rampa.ts";
import { closeSession, createSession } from "./session.ts";
import { startTarget } from "./target.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rates: { type: "string", default: "1000,5000" },
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
  },
});
const rates = values.rates!.split(",").map(Number);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

const K6_SCRIPT = `import http from "k6/http";
export const options = {
  discardResponseBodies: true,
  scenarios: { open: { executor: "constant-arrival-rate", rate: Number(__ENV.RATE), timeUnit: "1s",
    duration: __ENV.DURATION, preAllocatedVUs: Number(__ENV.VUS), maxVUs: Number(__ENV.VUS) } },
};
export default function () { http.get(__ENV.URL); }
`;

interface Row {
  tool: "rampa" | "k6";
  rate: number;
  cpuPer10k: number;
  requests: number;
  dropped: number;
  lagP99: number | null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

const k6 = await provideK6();
if (!k6) {
  console.error("k6 not available (see ../shared/tools/k6/README.md)");
  Deno.exit(1);
}
const session = await createSession({ noPin: false });
const target = await startTarget(session, "nginx");
const rows: Row[] = [];
try {
  await Deno.writeTextFile(`${session.scratchDir}/open.js`, K6_SCRIPT);
  for (let round = 0; round < rounds; round++) {
    for (const rate of rates) {
      // rampa, default flags.
      const file = `${session.scratchDir}/r-${round}-${rate}.json`;
      const r = await measure(
        session,
        rampaCli([
          "run",
          target.url,
          "--rate",
          `${rate}/s`,
          "-d",
          `${seconds}s`,
          "--summary",
          file,
          "-q",
          "--no-color",
        ]),
        seconds * 1000 + 60_000,
      );
      // deno-lint-ignore no-explicit-any
      const s: any = await readSummary(file);
      const requests = s.metrics.http_reqs?.count ?? 0;
      rows.push({
        tool: "rampa",
        rate,
        cpuPer10k: ((r.userS + r.sysS) / Math.max(1, requests)) * 10_000,
        requests,
        dropped: s.load.dropped,
        lagP99: s.metrics.scheduler_lag?.p99 ?? null,
      });
      // k6, constant-arrival-rate.
      const out = `${session.scratchDir}/k-${round}-${rate}.json`;
      const k = await measure(
        session,
        [
          "env",
          "K6_NO_USAGE_REPORT=true",
          `RATE=${rate}`,
          `DURATION=${seconds}s`,
          `VUS=${Math.max(64, Math.ceil(rate / 20))}`,
          `URL=${target.url}`,
          k6,
          "run",
          "-q",
          "--summary-export",
          out,
          `${session.scratchDir}/open.js`,
        ],
        seconds * 1000 + 60_000,
      );
      // deno-lint-ignore no-explicit-any
      const ks: any = JSON.parse(await Deno.readTextFile(out));
      const kreq = ks.metrics.http_reqs?.count ?? 0;
      rows.push({
        tool: "k6",
        rate,
        cpuPer10k: ((k.userS + k.sysS) / Math.max(1, kreq)) * 10_000,
        requests: kreq,
        dropped: ks.metrics.dropped_iterations?.count ?? 0,
        lagP99: null,
      });
      console.error(
        `round ${round + 1} ${rate}/s: rampa ${rows.at(-2)!.cpuPer10k.toFixed(2)} CPU-s/10k, ` +
          `k6 ${rows.at(-1)!.cpuPer10k.toFixed(2)}`,
      );
    }
  }
} finally {
  await closeSession(session, target.stop);
}

console.log(
  "| rate | rampa CPU-s/10k | k6 CPU-s/10k | rampa ÷ k6 | rampa lag p99 | dropped rampa / k6 |",
);
console.log("|---:|---:|---:|---:|---:|---:|");
for (const rate of rates) {
  const pick = (t: Row["tool"], f: (r: Row) => number) =>
    median(rows.filter((r) => r.tool === t && r.rate === rate).map(f));
  const rc = pick("rampa", (r) => r.cpuPer10k);
  const kc = pick("k6", (r) => r.cpuPer10k);
  console.log(
    `| ${rate}/s | ${rc.toFixed(2)} | ${kc.toFixed(2)} | ${(rc / kc).toFixed(2)} | ` +
      `${pick("rampa", (r) => r.lagP99 ?? NaN).toFixed(2)} ms | ` +
      `${pick("rampa", (r) => r.dropped)} / ${pick("k6", (r) => r.dropped)} |`,
  );
}
