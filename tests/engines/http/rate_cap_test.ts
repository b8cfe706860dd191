/** The `--rps` token bucket, without a clock, and its abortable wait. */
import { deepEqual, equal, throws } from "node:assert/strict";
import { capWait, RateCap } from "../../../engines/http/rate_cap.ts";

Deno.test("a 50/s cap lets the first request go and spaces the rest 20 ms apart", () => {
  const cap = new RateCap(50);
  deepEqual([0, 0, 0, 0].map((t) => cap.reserve(t)), [0, 20, 40, 60]);
});

Deno.test("a cap idle for a while does not save up a burst", () => {
  const cap = new RateCap(10);
  equal(cap.reserve(0), 0);
  equal(cap.reserve(5_000), 0);
  equal(cap.reserve(5_000), 100);
});

Deno.test("a 50/s cap admits 100 requests in 2 s however many callers queue", () => {
  const cap = new RateCap(50);
  let admitted = 0;
  // 20 callers each asking again as soon as their slot came: slots before 2000 ms count.
  const next = Array.from({ length: 20 }, () => 0);
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < next.length; i++) {
      const at = next[i] + cap.reserve(next[i]);
      if (at < 2000) admitted++;
      next[i] = at + 1;
    }
  }
  equal(admitted, 100);
});

Deno.test("a cap must be above 0", () => {
  throws(() => new RateCap(0), RangeError);
});

Deno.test("an aborted wait resolves false at once", async () => {
  const ac = new AbortController();
  const p = capWait(10_000, ac.signal);
  ac.abort();
  equal(await p, false);
  equal(await capWait(1), true);
});
