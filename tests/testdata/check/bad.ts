import type { Options } from "rampa";
export const options: Options = {
  scenarios: {
    a: { executor: "constant-vuz", vus: 1, duration: "1s" },
    b: { executor: "constant-arrival-rate", duration: "1s", preAllocatedVUs: 1 },
  },
};
const n: number = "x";
export default function () {}
