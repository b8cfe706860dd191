import { ok } from "node:assert/strict";
import { cpuUsage } from "node:process";
import { prepareCpuTime, processCpuMs } from "../../../core/run/cpu_time.ts";

Deno.test("processCpuMs counts this process's CPU like node:process cpuUsage", async () => {
  await prepareCpuTime();
  const a = processCpuMs();
  const n0 = cpuUsage();
  // Busy for ~50 ms of CPU: both clocks must see it, and agree.
  const until = performance.now() + 50;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  const n = cpuUsage(n0);
  const ours = processCpuMs() - a;
  const theirs = (n.user + n.system) / 1000;
  ok(x > 0);
  ok(ours >= 30, `counted ${ours} ms of CPU`);
  ok(Math.abs(ours - theirs) < 10, `ours ${ours} ms vs node:process ${theirs} ms`);
});
