/**
 * Secrets in URLs (userinfo, known secret query names) and headers never reach the console,
 * the JSON summary, HTML, CSV, JUnit or a step summary, whether the target answers or not.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import { scenario } from "./_helpers.ts";

const ALL_FILES = [
  "--out",
  "html=r.html",
  "--out",
  "csv=m.csv",
  "--out",
  "junit=j.xml",
  "--out",
  "console=c.txt",
  "--out",
  "github=step.md",
];
const leakCase = (
  name: string,
  url: string,
  flags: string[],
  secrets: string[],
  more: Partial<Case> = {},
): Case => ({
  name,
  args: ["run", url, "--rate", "5/s", "-d", "1s", ...ALL_FILES, ...flags],
  ...more,
  expect: { exit: 0, summary: "complete", secrets, ...more.expect },
});

/** Secret cases. */
export const SECRET_CASES: Case[] = [
  leakCase(
    "a password in the URL is never written",
    "http://user:PASSW0RDX@127.0.0.1:{port}/",
    [],
    ["PASSW0RDX"],
  ),
  leakCase(
    "a token in the query is never written",
    "http://127.0.0.1:{port}/?token=SECRET456&q=1",
    [],
    ["SECRET456"],
  ),
  leakCase(
    "api_key, password, auth and sig query values are never written",
    "http://127.0.0.1:{port}/p?api_key=K3YVALUE&password=PWVALUE9&auth=AUTHVAL7&sig=SIGVAL55",
    [],
    ["K3YVALUE", "PWVALUE9", "AUTHVAL7", "SIGVAL55"],
  ),
  leakCase(
    "an Authorization header is never written",
    "{url}",
    ["-H", "Authorization: Bearer HDRSECRET1", "-H", "X-Api-Key: HDRSECRET2"],
    ["HDRSECRET1", "HDRSECRET2"],
  ),
  leakCase(
    "a secret URL to a refused target is not in the error examples",
    "http://user:REFPASS77@127.0.0.1:{closed}/?token=REFTOK88",
    [],
    ["REFPASS77", "REFTOK88"],
    { expect: { exit: 8, summary: "complete", secrets: ["REFPASS77", "REFTOK88"] } },
  ),
  leakCase(
    "a secret URL to a silent target is not in the timeout errors",
    "http://user:TOPASS1@127.0.0.1:{port}/?token=TOTOK2",
    ["--timeout", "500ms"],
    ["TOPASS1", "TOTOK2"],
    { target: "silent", expect: { exit: 8, summary: "complete", secrets: ["TOPASS1", "TOTOK2"] } },
  ),
  leakCase(
    "a secret URL in an invalid command line is not echoed",
    "http://user:BADPASS3@127.0.0.1:{port}/?token=BADTOK4",
    ["--rate", "-1/s"],
    ["BADPASS3", "BADTOK4"],
    { expect: { exit: 2, noLoad: true, summary: "none", secrets: ["BADPASS3", "BADTOK4"] } },
  ),
  {
    name: "a scenario's secret URL and header are never written",
    args: ["run", "{scenario}", ...ALL_FILES],
    scenario: scenario(`export const options = { vus: 1, duration: "1s" };
const u = new URL(TARGET);
export default async function () {
  await http.get(\`http://u:SCNPASS5@\${u.host}/x?token=SCNTOK6\`, {
    headers: { Authorization: "Bearer SCNHDR7" },
  });
}
`),
    expect: { exit: 0, summary: "complete", secrets: ["SCNPASS5", "SCNTOK6", "SCNHDR7"] },
  },
  {
    name: "a webhook URL's password is never written",
    args: [
      "run",
      "{url}",
      ...["--rate", "5/s", "-d", "1s"],
      ...["--out", "webhook=http://u:HOOKPASS9@127.0.0.1:{closed}/hook"],
    ],
    expect: { exit: 0, summary: "complete", secrets: ["HOOKPASS9"] },
  },
  {
    name: "an invalid --out with a token in its URL does not echo the token",
    args: [
      "run",
      "{url}",
      "-d",
      "1s",
      "--out",
      "webhook=http://127.0.0.1:{closed}/hook?token=HOOKTOK8",
    ],
    expect: { exit: 2, noLoad: true, summary: "none", secrets: ["HOOKTOK8"] },
  },
];
