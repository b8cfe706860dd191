import { Counter } from "rampa";
export const options = { vus: 2, iterations: 10 };
const done = new Counter("done_iterations");
let n = 0;
export default function () {
  if (n++ % 2 === 1) throw new TypeError("odd iteration");
  done.add(1);
}
