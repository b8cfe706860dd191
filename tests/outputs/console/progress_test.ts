import assert from "node:assert/strict";
import {
  formatProgress,
  progressFromTick,
  type ProgressState,
} from "../../../outputs/console/progress.ts";
import { stripAnsi, visibleLength } from "../../../outputs/console/_text.ts";
import { createTicker, recordRun } from "./_fixture.ts";

const base: ProgressState = {
  elapsedMs: 12_400,
  plannedMs: 30_000,
  intervalRate: 498,
  targetRate: 500,
  vus: 12,
  requests: 5_976,
  failed: 3,
  p95Ms: 12.34,
  dropped: 0,
  intervalDropped: 0,
  iterationErrors: 0,
  lagP99Ms: 0.4,
};

const cases: [string, Partial<ProgressState>, string][] = [
  [
    "open loop shows elapsed of planned and achieved of target rate",
    {},
    "12s/30s  498.0/s of 500.0/s  vus 12  reqs 5,976  err 3 (0.05%)  p95 12.3ms  dropped 0",
  ],
  [
    "closed loop with no planned duration shows the elapsed time and the rate alone",
    { plannedMs: 0, targetRate: null, elapsedMs: 65_000, failed: 0, p95Ms: null },
    "1m05s  req 498.0/s  vus 12  reqs 5,976  err 0 (0%)  p95 -  dropped 0",
  ],
  [
    "dropped iterations are counted from the start of the run",
    { dropped: 1_234, intervalRate: 1_250, targetRate: 2_000, requests: 123_456, failed: 0 },
    "12s/30s  1,250/s of 2,000/s  vus 12  reqs 123,456  err 0 (0%)  p95 12.3ms  dropped 1,234",
  ],
  [
    "an offered rate sits beside iterations/s, requests/s apart",
    { intervalRate: 1_996, intervalIterations: 499 },
    "12s/30s  req 1,996/s  it 499.0/s of 500.0/s  vus 12  reqs 5,976  err 3 (0.05%)  p95 12.3ms  " +
    "dropped 0",
  ],
  [
    "a long run shows hours and minutes",
    { elapsedMs: 3_725_000, plannedMs: 7_200_000, p95Ms: 0.85 },
    "1h02m/2h00m  498.0/s of 500.0/s  vus 12  reqs 5,976  err 3 (0.05%)  p95 850µs  dropped 0",
  ],
];

for (const [name, change, want] of cases) {
  Deno.test(`progress line: ${name}`, () => {
    assert.equal(formatProgress({ ...base, ...change }, { color: false, width: 120 }), want);
  });
}

Deno.test("progress line is cut to the width, with an ellipsis", () => {
  for (const width of [20, 40, 60, 80]) {
    for (const color of [false, true]) {
      const line = formatProgress({ ...base, dropped: 7 }, { color, width });
      assert.ok(visibleLength(line) <= width, `${visibleLength(line)} > ${width}`);
    }
  }
  assert.ok(formatProgress(base, { color: false, width: 40 }).endsWith("…"));
});

Deno.test("progress line highlights dropped iterations and errors only when non-zero", () => {
  const quiet = formatProgress({ ...base, failed: 0 }, { color: true, width: 200 });
  assert.ok(!quiet.includes("\u001b[33m") && !quiet.includes("\u001b[31m"));
  const loud = formatProgress({ ...base, dropped: 5 }, { color: true, width: 200 });
  assert.ok(loud.includes("\u001b[33mdropped 5"));
  assert.ok(loud.includes("\u001b[31merr 3"));
  assert.equal(
    stripAnsi(loud),
    formatProgress({ ...base, dropped: 5 }, { color: false, width: 200 }),
  );
});

Deno.test("progress from a tick: interval figures from the delta, counts from the total", () => {
  const { ticks } = recordRun();
  const p = progressFromTick(ticks[1], 30_000, 500);
  assert.equal(p.elapsedMs, 20_000);
  assert.equal(p.plannedMs, 30_000);
  assert.equal(p.targetRate, 500);
  assert.equal(p.intervalRate, 498.7);
  assert.equal(p.requests, 9_974);
  assert.equal(p.dropped, 10);
  assert.equal(p.intervalDropped, 10);
  assert.equal(p.vus, 31);
  assert.ok(p.failed > 0 && p.failed < p.requests * 0.05, `failed ${p.failed}`);
  assert.ok(p.p95Ms !== null && p.p95Ms > 10 && p.p95Ms < 100, `p95 ${p.p95Ms}`);
  assert.ok(p.lagP99Ms !== null && p.lagP99Ms < 5, `lag ${p.lagP99Ms}`);

  const last = progressFromTick(ticks[2], 30_000, null);
  assert.equal(last.requests, 14_961);
  assert.equal(last.dropped, 39);
  assert.equal(last.intervalDropped, 29);
  assert.equal(last.targetRate, null);
});

Deno.test("progress from an idle tick has no p95 and no lag", () => {
  const next = createTicker();
  next({ requests: 10 });
  const p = progressFromTick(next({ requests: 0, vus: 0 }), 0, null);
  assert.equal(p.intervalRate, 0);
  assert.equal(p.p95Ms, null);
  assert.equal(p.lagP99Ms, null);
  assert.equal(p.requests, 10);
  assert.equal(p.vus, 0);
});

Deno.test("progress from a tick counts failed requests", () => {
  const next = createTicker();
  const p = progressFromTick(next({ requests: 200, failed: 10, lagMs: 8 }), 10_000, 200);
  assert.equal(p.failed, 10);
  assert.equal(p.intervalRate, 200);
  assert.ok(p.lagP99Ms !== null && p.lagP99Ms > 5);
  assert.match(formatProgress(p, { color: false, width: 100 }), /err 10 \(5\.0%\)/);
});
