/**
 * `rampa fleet k8s | github | gitlab`: prints what runs one test on many hosts with engines
 * users already operate. Kubernetes gets an Indexed Job of hosts and a coordinator; CI systems
 * get a matrix of segment jobs and a merge job. Nothing is applied or pushed: the output goes
 * to stdout, for `kubectl apply -f -` or a workflow file. The model, the clock-skew limits
 * and worked examples are in docs/fleet.md.
 *
 * @example
 * ```ts
 * import { fleetCommand } from "./mod.ts";
 * // prints the manifests of 4 hosts running checkout.ts
 * await fleetCommand(["k8s", "checkout.ts", "--hosts", "4", "--image", "ghcr.io/rampa-dev/rampa:0.2.0"]);
 * ```
 *
 * @module
 */
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { parseGithubArgs, parseGitlabArgs, parseK8sArgs } from "./args.ts";
import { githubWorkflow } from "./github.ts";
import { gitlabPipeline } from "./gitlab.ts";
import { k8sDelete, k8sManifests } from "./k8s.ts";

export { type FleetFile, k8sDelete, k8sManifests, k8sObjects, type K8sOptions } from "./k8s.ts";
export { type GithubOptions, githubWorkflow } from "./github.ts";
export { type GitlabOptions, gitlabPipeline } from "./gitlab.ts";
export { parseGithubArgs, parseGitlabArgs, parseK8sArgs } from "./args.ts";

/** Help text for `rampa fleet --help`. */
export const FLEET_USAGE =
  `Usage: rampa fleet <k8s | github | gitlab> <scenario.ts | url> --hosts N [options] [-- run args]

Prints what runs one test on N hosts; arguments after -- go to every host's rampa run.
Each host runs an exact share of the schedule (--segment), all start at one instant, and the
results merge exactly into one verdict. See docs/fleet.md.

rampa fleet k8s <scenario> --hosts N --image IMG [options]   → kubectl apply -f -
  A ConfigMap with the scenario, a Secret with a fresh token, an Indexed Job of N hosts
  and the coordinator (a Job and a Service on port 7878).
  -n, --namespace <ns>      Namespace of every object (default: kubectl's)
  --cpu <q>                 CPU of each host, request = limit (default: 1)
  --memory <q>              Memory of each host, request = limit (default: 512Mi)
  --name <run>              Prefix of every object (default: rampa-<scenario name>)
  --file <path>             A data file the scenario reads (repeatable); it is mounted at
                            its path relative to the scenario
  --token-secret <name>     Use this Secret's "token" key instead of creating a Secret
  --join-timeout <dur>      How long the coordinator waits for the hosts (default: 5m)
  --results-pvc <claim>     Mount this PersistentVolumeClaim at /results for the summaries
  --out <name=target>       An output of the coordinator (repeatable)
  --threshold <expr>        A threshold the coordinator judges (repeatable)
  --delete                  Print the same objects for kubectl delete -f -

rampa fleet github <scenario> --hosts N [options]   → .github/workflows/rampa-fleet.yml
rampa fleet gitlab <scenario> --hosts N [options]   → .gitlab-ci.yml
  A plan job fixes the start instant; N jobs run one segment each; a merge job runs
  rampa merge on their summaries and fails the pipeline when the merged verdict fails.
  --install-from-release    Install rampa's release binary in each job (the default)
  --version <tag>           The release to install (default: latest)
  --image <image>           Run the jobs in this image instead (it needs a shell)
  --lead <dur>              From the plan job to the start: time for every job to be up
                            (default: 3m)
  --threshold <expr>        Judge these thresholds in the merge (repeatable)
  --runs-on <label>         github: the runner of the segment and merge jobs
                            (default: ubuntu-latest)
  --name <name>             github: the workflow's name (default: rampa fleet)

  -h, --help                Show this help
`;

const RECIPES: Record<string, (args: string[]) => Promise<string> | string> = {
  k8s: async (args) => {
    const request = await parseK8sArgs(args);
    return request.delete ? k8sDelete(request.options) : k8sManifests(request.options);
  },
  github: (args) => githubWorkflow(parseGithubArgs(args)),
  gitlab: (args) => gitlabPipeline(parseGitlabArgs(args)),
};

/**
 * Runs `rampa fleet <recipe> …`: prints the recipe to stdout and returns the exit code. Bad
 * input throws a ConfigError (one line per issue, exit 2) before anything is printed.
 *
 * @param write where the recipe goes (tests capture it) @default stdout
 */
export async function fleetCommand(
  args: string[],
  write: (text: string) => Promise<void> = writeStdout,
): Promise<number> {
  const [recipe, ...rest] = args;
  if (recipe === undefined || wantsHelp(args)) {
    console.log(FLEET_USAGE);
    return recipe === undefined ? ExitCode.INVALID_CONFIG : ExitCode.OK;
  }
  const make = RECIPES[recipe];
  if (!make) {
    throw new ConfigError(
      `Unknown fleet recipe "${recipe}": expected one of ${Object.keys(RECIPES).join(", ")}`,
    );
  }
  await write(await make(rest));
  return ExitCode.OK;
}

/** `-h`/`--help` anywhere before `--` (after it, they belong to rampa run). */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  const own = end < 0 ? args : args.slice(0, end);
  return own.includes("-h") || own.includes("--help");
}

async function writeStdout(text: string): Promise<void> {
  // console.log would add a newline after the last document; a file written with > should
  // end exactly as the recipe does.
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
}
