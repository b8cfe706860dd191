export const options = { vus: 1, iterations: 1 };
export function setup() {
  throw new Error("database is down");
}
export default function () {}
