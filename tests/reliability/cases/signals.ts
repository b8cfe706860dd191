/**
 * Signals in every phase: start-up, import, setup, warm-up, HTTPS pre-connect, the run,
 * teardown, and a second SIGINT. SIGINT, SIGTERM and SIGHUP all stop the run with exit 130 and
 * the summary (and every file output) written.
 *
 * @module
 */
import type { Case, SignalStep } from "../_case.ts";
import { scenario } from "./_helpers.ts";

const adHoc = (
  name: string,
  flags: string[],
  signals: SignalStep[],
  more: Partial<Case> = {},
): Case => ({
  name,
  args: ["run", "{url}", ...flags],
  signals,
  ...more,
  expect: { exit: 130, summary: "complete", maxWallMs: 12_000, ...more.expect },
});

const MID_RUN = ["--rate", "20/s", "-d", "5s"];
/** A scenario whose first iteration prints ITER, then never settles. */
const STUCK = scenario(`export const options = { vus: 2, duration: "5s" };
export default async function (ctx: VuContext) {
  await http.get(TARGET);
  if (ctx.iteration === 0) console.log("ITER");
  await new Promise(() => {});
}
`);
/** A scenario whose teardown prints TEARDOWN and then takes 10 s. */
const SLOW_TEARDOWN = scenario(`export const options = { vus: 1, duration: "1s" };
export default async function () { await http.get(TARGET); await sleep("50ms"); }
export async function teardown() { console.log("TEARDOWN"); await sleep("10s"); }
`);
const SCENARIO = (
  name: string,
  body: string,
  signals: SignalStep[],
  more: Partial<Case> = {},
): Case => ({
  name,
  args: ["run", "{scenario}"],
  scenario: body,
  signals,
  ...more,
  expect: { exit: 130, summary: "complete", maxWallMs: 12_000, ...more.expect },
});

/** Signal cases. */
export const SIGNAL_CASES: Case[] = [
  adHoc("SIGINT mid-run exits 130 with the summary", MID_RUN, [{ name: "SIGINT", delayMs: 1500 }]),
  adHoc("SIGTERM mid-run exits 130 with the summary", MID_RUN, [{
    name: "SIGTERM",
    delayMs: 1500,
  }]),
  adHoc("SIGHUP mid-run exits 130 with the summary", MID_RUN, [{ name: "SIGHUP", delayMs: 1500 }]),
  adHoc(
    "SIGHUP mid-run still writes the CSV, JUnit and HTML outputs whole",
    [...MID_RUN, "--out", "csv=m.csv", "--out", "junit=j.xml", "--out", "html=r.html"],
    [{ name: "SIGHUP", delayMs: 2500 }],
    {
      expect: {
        exit: 130,
        summary: "complete",
        files: { "{dir}/m.csv": "complete", "{dir}/j.xml": "complete", "{dir}/r.html": "complete" },
      },
    },
  ),
  adHoc(
    "SIGINT mid-run with 2 workers exits 130 with the summary",
    [...MID_RUN, "--workers", "2"],
    [{ name: "SIGINT", delayMs: 2000 }],
  ),
  adHoc("SIGINT in a closed loop exits 130 with the summary", ["--vus", "2", "-d", "5s"], [{
    name: "SIGINT",
    delayMs: 1500,
  }]),
  adHoc(
    "SIGINT during the warm-up exits 130 with the summary",
    ["--rate", "20/s", "-d", "2s", "--warmup", "5s"],
    [{ name: "SIGINT", after: /Warming up/, delayMs: 700 }],
  ),
  adHoc(
    "SIGTERM during the warm-up exits 130 with the summary",
    ["--rate", "20/s", "-d", "2s", "--warmup", "5s"],
    [{ name: "SIGTERM", after: /Warming up/, delayMs: 700 }],
  ),
  adHoc(
    "SIGTERM during an HTTPS pre-connect to a silent port exits 130 with the summary",
    ["--rate", "5/s", "-d", "2s"],
    [{ name: "SIGTERM", delayMs: 1500 }],
    { target: "silent", args: ["run", "https://127.0.0.1:{port}/", "--rate", "5/s", "-d", "2s"] },
  ),
  adHoc(
    "a second SIGINT cuts in-flight requests to a silent target and keeps the summary",
    ["--rate", "20/s", "-d", "2s"],
    [{ name: "SIGINT", delayMs: 1200 }, { name: "SIGINT", delayMs: 500 }],
    { target: "silent" },
  ),
  SCENARIO("a second SIGINT abandons iterations that never settle", STUCK, [
    { name: "SIGINT", after: /ITER/, delayMs: 300 },
    { name: "SIGINT", delayMs: 700 },
  ]),
  SCENARIO("three SIGINTs and a SIGTERM on stuck iterations still end with the summary", STUCK, [
    { name: "SIGINT", after: /ITER/, delayMs: 300 },
    { name: "SIGINT", delayMs: 300 },
    { name: "SIGINT", delayMs: 300 },
    { name: "SIGTERM", delayMs: 300 },
  ]),
  SCENARIO("SIGINT during teardown exits 130 with the summary", SLOW_TEARDOWN, [
    { name: "SIGINT", after: /TEARDOWN/, delayMs: 300 },
  ]),
  SCENARIO("SIGTERM during teardown exits 130 with the summary", SLOW_TEARDOWN, [
    { name: "SIGTERM", after: /TEARDOWN/, delayMs: 300 },
  ]),
  SCENARIO(
    "SIGINT during a setup that never resolves exits 130",
    scenario(`export const options = { vus: 1, duration: "1s" };
export function setup() { console.log("SETUP"); return new Promise(() => {}); }
export default async function () { await http.get(TARGET); }
`),
    [{ name: "SIGINT", after: /SETUP/, delayMs: 300 }],
    { expect: { exit: 130, summary: undefined, maxWallMs: 8_000 } },
  ),
  SCENARIO(
    "SIGINT during an import that never settles exits 130",
    scenario(
      `console.log("IMPORTING");\nawait new Promise(() => {});\nexport default function () {}\n`,
    ),
    [{ name: "SIGINT", after: /IMPORTING/, delayMs: 300 }],
    { expect: { exit: 130, summary: undefined, maxWallMs: 8_000 } },
  ),
  adHoc("SIGINT during start-up exits 130 without a trace", ["-d", "1s"], [{
    name: "SIGINT",
    delayMs: 30,
  }], { expect: { exit: 130, summary: undefined, maxWallMs: 8_000 } }),
  {
    name: "SIGTERM stops rampa serve cleanly",
    args: ["serve", "--port", "0"],
    signals: [{ name: "SIGTERM", delayMs: 1500 }],
    expect: { exit: [0, 130, 143], maxWallMs: 8_000 },
  },
];
