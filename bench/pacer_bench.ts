/**
 * Micro-benchmarks of the scheduler's pure part: how long the pacer takes to say when arrival
 * k is due, for a constant rate and for a ten-stage ramp (searched per call).
 */
import { createConstantPacer, createRampingPacer } from "../core/schedule/pacer.ts";

const constant = createConstantPacer(10_000, 3_600_000);
const ramp = createRampingPacer(
  0,
  Array.from({ length: 10 }, (_, i) => ({ target: (i + 1) * 1000, durationMs: 60_000 })),
);
let k = 0;

Deno.bench("constant pacer: arrivalAt(k)", { group: "pacer", baseline: true }, () => {
  constant.arrivalAt(k++ % constant.total);
});

Deno.bench("ten-stage ramp: arrivalAt(k)", { group: "pacer" }, () => {
  ramp.arrivalAt(k++ % ramp.total);
});
