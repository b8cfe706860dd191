/**
 * `rampa fleet k8s`: the manifests of a fleet run on Kubernetes, for `kubectl apply -f -`.
 * Kubernetes does the orchestration it is good at (placing pods, pulling the image, restarting
 * nothing); rampa does the rest: an Indexed Job gives each pod its segment through
 * `JOB_COMPLETION_INDEX`, and one coordinator pod, behind a Service, hands out the start
 * instant, merges every host's snapshots and owns the verdict.
 *
 * The objects, all labelled `app.kubernetes.io/name: rampa` and `rampa.dev/run: <name>`:
 * - ConfigMap `<name>-scenario`: the scenario file and its `--file`s, mounted at /scenario
 *   in their layout relative to the scenario, so relative dataset paths still resolve;
 * - Secret `<name>-token`: a fresh random `RAMPA_FLEET_TOKEN` (unless `--token-secret`);
 * - Job `<name>-coordinator` and Service `<name>-coordinator` (port 7878);
 * - Job `<name>`: Indexed, `completions` = `parallelism` = hosts, `backoffLimit: 0`.
 *
 * @example
 * ```ts
 * import { k8sManifests } from "./k8s.ts";
 * const yaml = k8sManifests({
 *   name: "rampa-checkout",
 *   hosts: 4,
 *   image: "ghcr.io/rampa-dev/rampa:0.2.0",
 *   scenario: "checkout.ts",
 *   files: [{ path: "checkout.ts", data: new TextEncoder().encode("export default () => {};") }],
 * });
 * ```
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import { COORDINATOR_PORT, isUrl, toYamlDocument } from "./_shared.ts";
import { configMapData, configMapKeys, type FleetFile } from "./_k8s_files.ts";

export { CONFIGMAP_LIMIT_BYTES, type FleetFile } from "./_k8s_files.ts";

/** What {@link k8sManifests} needs; plain data, so tests build it without files. */
export interface K8sOptions {
  /** The run's name: prefix of every object and the `rampa.dev/run` label. */
  readonly name: string;
  /** Number of host pods (the Indexed Job's completions and parallelism). */
  readonly hosts: number;
  /** Container image with `rampa` on its PATH. */
  readonly image: string;
  /** Namespace of every object. @default kubectl's current namespace */
  readonly namespace?: string;
  /** A URL (ad-hoc run) or the scenario's path under /scenario, one of `files`. */
  readonly scenario: string;
  /** Files mounted under /scenario: the scenario and its data files. @default [] */
  readonly files?: readonly FleetFile[];
  /** CPU of each host, request and limit. @default "1" */
  readonly cpu?: string;
  /** Memory of each host, request and limit. @default "512Mi" */
  readonly memory?: string;
  /** The fleet token; a fresh random one when neither this nor `tokenSecret` is given. */
  readonly token?: string;
  /** An existing Secret holding the token under the key `token`; no Secret is created. */
  readonly tokenSecret?: string;
  /** Extra `rampa run` arguments for every host. @default [] */
  readonly runArgs?: readonly string[];
  /** Extra `rampa coordinator` arguments (`--out`, `--threshold`). @default [] */
  readonly coordinatorArgs?: readonly string[];
  /** How long the coordinator waits for every host to join. @default "5m" */
  readonly joinTimeout?: string;
  /** A PersistentVolumeClaim mounted at /results, so summaries outlive the pods. */
  readonly resultsClaim?: string;
}

/** One Kubernetes object, as plain data. */
export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
};

const SCENARIO_DIR = "/scenario";
const RESULTS_DIR = "/results";
const TOKEN_KEY = "token";
const RESOURCE = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** A random token for `RAMPA_FLEET_TOKEN`: 32 bytes from the system's CSPRNG, as hex. */
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The objects of a fleet run, in the order `kubectl apply` should create them. */
export function k8sObjects(opts: K8sOptions): K8sObject[] {
  checkOptions(opts);
  const names = objectNames(opts.name);
  const objects: K8sObject[] = [];
  const files = opts.files ?? [];
  if (files.length) {
    objects.push({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: metadata(opts, names.configMap, "scenario"),
      ...configMapData(files),
    });
  }
  if (!opts.tokenSecret) objects.push(secret(opts, names.secret, opts.token ?? generateToken()));
  objects.push(coordinatorService(opts, names.coordinator));
  objects.push(coordinatorJob(opts, names));
  objects.push(hostJob(opts, names));
  return objects;
}

/**
 * The manifests of a fleet run as one multi-document YAML stream for `kubectl apply -f -`,
 * with a comment saying how to follow the run and how to remove it.
 */
export function k8sManifests(opts: K8sOptions): string {
  const ns = opts.namespace ? ` -n ${opts.namespace}` : "";
  const head = [
    `# rampa fleet: ${opts.hosts} host(s) running ${opts.scenario}, one coordinator.`,
    `#   apply:   rampa fleet k8s … | kubectl apply -f -`,
    `#   follow:  kubectl logs${ns} -f job/${opts.name}-coordinator`,
    // The coordinator's exit code is the verdict (0 passed, 3 thresholds failed, …).
    `#   verdict: kubectl get pods${ns} -l rampa.dev/run=${opts.name},` +
    `app.kubernetes.io/component=coordinator` +
    ` -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}'`,
    `#   remove:  rampa fleet k8s … --delete | kubectl delete -f -`,
  ];
  return head.join("\n") + "\n" + toYaml(k8sObjects(opts));
}

/**
 * What `kubectl delete -f -` needs to remove a fleet run: the same objects as
 * {@link k8sManifests}, by kind, name and namespace only (no token is printed for a delete).
 * Deleting a Job deletes its pods with it.
 */
export function k8sDelete(opts: K8sOptions): string {
  const objects = k8sObjects({ ...opts, token: opts.token ?? "unused" }).map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: o.metadata,
  }));
  return toYaml(objects);
}

/** Objects as one YAML stream, one document each. */
function toYaml(objects: readonly object[]): string {
  return objects.map((o) => "---\n" + toYamlDocument(o)).join("");
}

interface Names {
  readonly run: string;
  readonly configMap: string;
  readonly secret: string;
  readonly coordinator: string;
}

function objectNames(run: string): Names {
  return {
    run,
    configMap: `${run}-scenario`,
    secret: `${run}-token`,
    coordinator: `${run}-coordinator`,
  };
}

function checkOptions(opts: K8sOptions): void {
  const issues: string[] = [];
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1) {
    issues.push(`Cannot use ${opts.hosts} hosts: expected a whole number of at least 1`);
  }
  for (const [flag, value] of [["--cpu", opts.cpu], ["--memory", opts.memory]] as const) {
    if (value !== undefined && !RESOURCE.test(value)) {
      issues.push(
        `Cannot parse ${flag} "${value}": expected a Kubernetes quantity such as 500m, 2, ` +
          `512Mi or 4Gi`,
      );
    }
  }
  const files = opts.files ?? [];
  if (!isUrl(opts.scenario) && !files.some((f) => f.path === opts.scenario)) {
    issues.push(`Missing the scenario "${opts.scenario}" among the files to ship`);
  }
  const seen = new Set<string>();
  for (const f of files) {
    if (f.path.startsWith("/") || f.path.split("/").includes("..") || f.path === "") {
      issues.push(`Cannot ship "${f.path}": expected a path inside the scenario's folder`);
    }
    if (seen.has(f.path)) issues.push(`Cannot ship "${f.path}" twice`);
    seen.add(f.path);
  }
  if (issues.length) throw new ConfigError(issues);
}

function labels(run: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "rampa",
    "app.kubernetes.io/component": component,
    "rampa.dev/run": run,
  };
}

function metadata(opts: K8sOptions, name: string, component: string): K8sObject["metadata"] {
  return {
    name,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    labels: labels(opts.name, component),
  };
}

function secret(opts: K8sOptions, name: string, token: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: metadata(opts, name, "token"),
    type: "Opaque",
    stringData: { [TOKEN_KEY]: token },
  };
}

function tokenEnv(opts: K8sOptions, names: Names): Record<string, unknown> {
  return {
    name: "RAMPA_FLEET_TOKEN",
    valueFrom: {
      secretKeyRef: { name: opts.tokenSecret ?? names.secret, key: TOKEN_KEY },
    },
  };
}

function resultsVolume(opts: K8sOptions): Record<string, unknown> {
  // Without a claim the results live as long as the pod: the coordinator's log still has the
  // summary, and its --out sinks (Prometheus, a webhook…) carry the figures out.
  return opts.resultsClaim
    ? { name: "results", persistentVolumeClaim: { claimName: opts.resultsClaim } }
    : { name: "results", emptyDir: {} };
}

function coordinatorService(opts: K8sOptions, name: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(opts, name, "coordinator"),
    spec: {
      type: "ClusterIP",
      selector: labels(opts.name, "coordinator"),
      ports: [{ name: "fleet", port: COORDINATOR_PORT, targetPort: "fleet", protocol: "TCP" }],
    },
  };
}

function coordinatorJob(opts: K8sOptions, names: Names): K8sObject {
  const args = [
    "coordinator",
    "--expect",
    String(opts.hosts),
    "--port",
    String(COORDINATOR_PORT),
    "--join-timeout",
    opts.joinTimeout ?? "5m",
    "--summary",
    `${RESULTS_DIR}/summary.json`,
    ...(opts.coordinatorArgs ?? []),
  ];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(opts, names.coordinator, "coordinator"),
    spec: {
      // The coordinator's exit code is the run's verdict: a retry would judge another run.
      backoffLimit: 0,
      template: {
        metadata: { labels: labels(opts.name, "coordinator") },
        spec: {
          restartPolicy: "Never",
          containers: [{
            name: "coordinator",
            image: opts.image,
            command: ["rampa"],
            args,
            workingDir: RESULTS_DIR,
            env: [tokenEnv(opts, names)],
            ports: [{ name: "fleet", containerPort: COORDINATOR_PORT, protocol: "TCP" }],
            // Hosts are routed to the coordinator only once it listens.
            readinessProbe: {
              tcpSocket: { port: "fleet" },
              periodSeconds: 2,
            },
            resources: {
              requests: { cpu: "500m", memory: "256Mi" },
              limits: { memory: "1Gi" },
            },
            volumeMounts: [{ name: "results", mountPath: RESULTS_DIR }],
          }],
          volumes: [resultsVolume(opts)],
        },
      },
    },
  };
}

function hostJob(opts: K8sOptions, names: Names): K8sObject {
  const cpu = opts.cpu ?? "1";
  const memory = opts.memory ?? "512Mi";
  const files = opts.files ?? [];
  const target = isUrl(opts.scenario) ? opts.scenario : `${SCENARIO_DIR}/${opts.scenario}`;
  const args = [
    "run",
    target,
    "--segment",
    "auto",
    "--coordinator",
    `http://${names.coordinator}:${COORDINATOR_PORT}`,
    // Kubernetes expands $(VAR) in args from the container's env, and the Job controller adds
    // JOB_COMPLETION_INDEX to it: each host names its own file without a shell in the image.
    "--summary",
    `${RESULTS_DIR}/summary-$(JOB_COMPLETION_INDEX).json`,
    ...(opts.runArgs ?? []),
  ];
  const keys = configMapKeys(files);
  const volumes: Record<string, unknown>[] = [resultsVolume(opts)];
  const mounts: Record<string, unknown>[] = [{ name: "results", mountPath: RESULTS_DIR }];
  if (files.length) {
    volumes.push({
      name: "scenario",
      configMap: {
        name: names.configMap,
        items: files.map((f, i) => ({ key: keys[i], path: f.path })),
      },
    });
    mounts.push({ name: "scenario", mountPath: SCENARIO_DIR, readOnly: true });
  }
  const hostLabels = labels(opts.name, "host");
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(opts, names.run, "host"),
    spec: {
      completionMode: "Indexed",
      completions: opts.hosts,
      parallelism: opts.hosts,
      // A restarted host would join twice, and the coordinator refuses that: fail instead and
      // let the coordinator report the host lost with its share.
      backoffLimit: 0,
      template: {
        metadata: { labels: hostLabels },
        spec: {
          restartPolicy: "Never",
          // Two hosts on one node share its CPU and NIC, and the node, not the target, becomes
          // the bottleneck: spread them when the cluster has the nodes.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: {
                  labelSelector: { matchLabels: hostLabels },
                  topologyKey: "kubernetes.io/hostname",
                },
              }],
            },
          },
          containers: [{
            name: "host",
            image: opts.image,
            command: ["rampa"],
            args,
            workingDir: RESULTS_DIR,
            env: [
              { name: "RAMPA_SEGMENTS", value: String(opts.hosts) },
              tokenEnv(opts, names),
            ],
            // Requests equal to limits: the Guaranteed QoS class, so a host is neither evicted
            // first nor squeezed by neighbours while it generates load.
            resources: { requests: { cpu, memory }, limits: { cpu, memory } },
            volumeMounts: mounts,
          }],
          volumes,
        },
      },
    },
  };
}
