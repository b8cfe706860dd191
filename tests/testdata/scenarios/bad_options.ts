export const options = {
  scenarios: {
    a: { executor: "constant-arrival-rate", rate: -5, duration: "5x", preAllocatedVUs: 2 },
    b: { executor: "warp-speed" },
  },
  colour: "blue",
};
export default function () {}
