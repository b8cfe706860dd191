/**
 * The top-level usage text, apart from the commands so printing it loads nothing else.
 *
 * @module
 */

/** Top-level usage. */
export const MAIN_USAGE = `rampa: load testing with honest numbers

Usage: rampa <command> [options]

Commands:
  run <url>     Load-test a URL (open loop at --rate, or closed loop with --vus)
  merge <files> Merge summary files of runs or hosts; judge thresholds again
  report <file> Render a saved summary as a self-contained HTML report
  serve         Run the embedded target server (latency, errors, stalls on demand)
  demo          A 10 s test against the embedded target, with summary
  selfcheck     Measure the load this machine can generate without lying
  convert       A HAR recording or a k6 script as a rampa scenario (har|k6 <file>)
  check <file>  Type-check a scenario with rampa's types (runs deno check)
  types         Print rampa's API as one declaration file (rampa types > rampa.d.ts)
  fleet         Manifests for a run over many hosts (k8s|github|gitlab <scenario>)
  coordinator   One live view and verdict for hosts running --coordinator
  version       Print the version, commit, target and Deno/V8/TypeScript (--json)
  help [topic]  This help; topics: run, merge, report, serve, demo,
                selfcheck, exit-codes

Run 'rampa <command> --help' for a command's options.
`;
