import { equal, match } from "node:assert/strict";
import { chooseWorkers, RATE_PER_THREAD, VUS_PER_THREAD } from "../../cli/workers_auto.ts";

const cpus = Math.min(8, navigator.hardwareConcurrency || 1);

Deno.test("a 5,000/s run stays on one load thread and says why", () => {
  const c = chooseWorkers(5000, 200);
  equal(c.workers, 1);
  match(c.reason, /^auto: 1 load thread: 5,000\/s planned/);
});

Deno.test("a rate above one thread's capacity gets more threads, capped at the CPUs", () => {
  const c = chooseWorkers(RATE_PER_THREAD * 3 + 1, 10);
  equal(c.workers, Math.min(cpus, 4));
  if (cpus < 4) match(c.reason, /capped at/);
});

Deno.test("closed loop counts VUs per thread", () => {
  equal(chooseWorkers(null, 64).workers, 1);
  equal(chooseWorkers(null, VUS_PER_THREAD + 1).workers, Math.min(cpus, 2));
});
