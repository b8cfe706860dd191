import { deepEqual, equal, match, notEqual, ok, throws } from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { ConfigError } from "../../../core/errors.ts";
import {
  CONFIGMAP_LIMIT_BYTES,
  generateToken,
  k8sDelete,
  k8sManifests,
  k8sObjects,
  type K8sOptions,
} from "../../../cli/fleet/k8s.ts";
import { k8sSchemaErrors } from "./_k8s_schemas.ts";

const text = (s: string) => new TextEncoder().encode(s);

const BASE: K8sOptions = {
  name: "rampa-checkout",
  hosts: 4,
  image: "ghcr.io/rampa-dev/rampa:0.2.0",
  namespace: "load",
  scenario: "checkout.ts",
  files: [
    { path: "checkout.ts", data: text("export default async () => {};\n") },
    { path: "data/users.csv", data: text("id,name\n1,a\n") },
    { path: "blob.bin", data: new Uint8Array([0, 1, 0xff, 0xfe]) },
  ],
  cpu: "2",
  memory: "1Gi",
  token: "t".repeat(64),
  runArgs: ["--env", "BASE_URL=http://shop:8080"],
  coordinatorArgs: ["--threshold", "http_req_duration p(99)<300ms"],
};

/** Parses a YAML stream the way kubectl would: every document, failing on any error. */
// deno-lint-ignore no-explicit-any
function documents(yaml: string): any[] {
  return parseAllDocuments(yaml).map((d) => {
    equal(d.errors.length, 0, String(d.errors[0]));
    return d.toJS();
  });
}

/** The ConfigError `fn` throws. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    ok(e instanceof ConfigError, String(e));
    return e;
  }
  throw new Error("expected a ConfigError");
}

// deno-lint-ignore no-explicit-any
function find(docs: any[], kind: string, component: string): any {
  const doc = docs.find((d) =>
    d.kind === kind && d.metadata.labels["app.kubernetes.io/component"] === component
  );
  ok(doc, `no ${kind} for ${component}`);
  return doc;
}

Deno.test("k8s manifests validate against the Job, Service, ConfigMap and Secret schemas", () => {
  const docs = documents(k8sManifests(BASE));
  deepEqual(docs.map((d) => d.kind), ["ConfigMap", "Secret", "Service", "Job", "Job"]);
  for (const doc of docs) deepEqual(k8sSchemaErrors(doc), [], doc.kind);
});

Deno.test("k8s manifests of a URL run with an existing secret and a claim validate too", () => {
  const docs = documents(k8sManifests({
    name: "rampa-adhoc",
    hosts: 1,
    image: "rampa:dev",
    scenario: "http://shop:8080/api",
    tokenSecret: "fleet-token",
    resultsClaim: "rampa-results",
    joinTimeout: "10m",
  }));
  deepEqual(docs.map((d) => d.kind), ["Service", "Job", "Job"]);
  for (const doc of docs) deepEqual(k8sSchemaErrors(doc), [], doc.kind);
  const host = find(docs, "Job", "host").spec.template.spec;
  equal(host.containers[0].args[1], "http://shop:8080/api");
  deepEqual(host.volumes.map((v: { name: string }) => v.name), ["results"]);
  equal(host.volumes[0].persistentVolumeClaim.claimName, "rampa-results");
  const coord = find(docs, "Job", "coordinator").spec.template.spec.containers[0];
  deepEqual(coord.args.slice(coord.args.indexOf("--join-timeout"), -2), ["--join-timeout", "10m"]);
  deepEqual(coord.env[0].valueFrom.secretKeyRef, { name: "fleet-token", key: "token" });
});

Deno.test("the schema check catches a misplaced field and a wrong type", () => {
  // The vendored schemas are strict: proof that the passing tests above mean something.
  const job = structuredClone(find(documents(k8sManifests(BASE)), "Job", "host"));
  job.spec.completionsMode = "Indexed";
  job.spec.parallelism = "4";
  const errors = k8sSchemaErrors(job).join("\n");
  match(errors, /completionsMode/);
  match(errors, /\/spec\/parallelism: must be integer/);
});

Deno.test("host job is Indexed with N completions, runs its segment and finds the coordinator", () => {
  const docs = documents(k8sManifests(BASE));
  const job = find(docs, "Job", "host");
  equal(job.metadata.name, "rampa-checkout");
  equal(job.metadata.namespace, "load");
  equal(job.spec.completionMode, "Indexed");
  equal(job.spec.completions, 4);
  equal(job.spec.parallelism, 4);
  equal(job.spec.backoffLimit, 0);
  const pod = job.spec.template.spec;
  equal(pod.restartPolicy, "Never");
  const c = pod.containers[0];
  equal(c.image, "ghcr.io/rampa-dev/rampa:0.2.0");
  deepEqual(c.command, ["rampa"]);
  deepEqual(c.args, [
    "run",
    "/scenario/checkout.ts",
    "--segment",
    "auto",
    "--coordinator",
    "http://rampa-checkout-coordinator:7878",
    "--summary",
    "/results/summary-$(JOB_COMPLETION_INDEX).json",
    "--env",
    "BASE_URL=http://shop:8080",
  ]);
  deepEqual(c.env, [
    { name: "RAMPA_SEGMENTS", value: "4" },
    {
      name: "RAMPA_FLEET_TOKEN",
      valueFrom: { secretKeyRef: { name: "rampa-checkout-token", key: "token" } },
    },
  ]);
  deepEqual(c.resources, {
    requests: { cpu: "2", memory: "1Gi" },
    limits: { cpu: "2", memory: "1Gi" },
  });
  deepEqual(c.volumeMounts.find((m: { name: string }) => m.name === "scenario"), {
    name: "scenario",
    mountPath: "/scenario",
    readOnly: true,
  });
});

Deno.test("ConfigMap holds the scenario and its files, mounted at their relative paths", () => {
  const docs = documents(k8sManifests(BASE));
  const cm = find(docs, "ConfigMap", "scenario");
  equal(cm.metadata.name, "rampa-checkout-scenario");
  deepEqual(cm.data, {
    "checkout.ts": "export default async () => {};\n",
    "data_users.csv": "id,name\n1,a\n",
  });
  deepEqual(cm.binaryData, { "blob.bin": btoa("\x00\x01\xff\xfe") });
  const volume = find(docs, "Job", "host").spec.template.spec.volumes
    .find((v: { name: string }) => v.name === "scenario");
  deepEqual(volume.configMap, {
    name: "rampa-checkout-scenario",
    items: [
      { key: "checkout.ts", path: "checkout.ts" },
      { key: "data_users.csv", path: "data/users.csv" },
      { key: "blob.bin", path: "blob.bin" },
    ],
  });
});

Deno.test("coordinator is a Job behind a Service on 7878 that selects only its pod", () => {
  const docs = documents(k8sManifests(BASE));
  const svc = find(docs, "Service", "coordinator");
  const job = find(docs, "Job", "coordinator");
  equal(svc.metadata.name, "rampa-checkout-coordinator");
  equal(job.metadata.name, "rampa-checkout-coordinator");
  deepEqual(svc.spec.ports, [{ name: "fleet", port: 7878, targetPort: "fleet", protocol: "TCP" }]);
  const podLabels = job.spec.template.metadata.labels;
  for (const [k, v] of Object.entries(svc.spec.selector)) equal(podLabels[k], v, k);
  // The hosts' pods must not match: the Service would route hosts to each other.
  const hostLabels = find(docs, "Job", "host").spec.template.metadata.labels;
  ok(Object.entries(svc.spec.selector).some(([k, v]) => hostLabels[k] !== v));
  const c = job.spec.template.spec.containers[0];
  deepEqual(c.ports, [{ name: "fleet", containerPort: 7878, protocol: "TCP" }]);
  deepEqual(c.args, [
    "coordinator",
    "--expect",
    "4",
    "--port",
    "7878",
    "--join-timeout",
    "5m",
    "--summary",
    "/results/summary.json",
    "--threshold",
    "http_req_duration p(99)<300ms",
  ]);
  equal(job.spec.backoffLimit, 0);
});

Deno.test("every object carries the rampa labels and the namespace", () => {
  for (const doc of documents(k8sManifests(BASE))) {
    equal(doc.metadata.labels["app.kubernetes.io/name"], "rampa");
    equal(doc.metadata.labels["rampa.dev/run"], "rampa-checkout");
    equal(doc.metadata.namespace, "load");
  }
  const noNs = documents(k8sManifests({ ...BASE, namespace: undefined }));
  for (const doc of noNs) equal(doc.metadata.namespace, undefined);
});

Deno.test("the token is random per print, 32 bytes of hex, and lives only in the Secret", () => {
  const a = generateToken();
  match(a, /^[0-9a-f]{64}$/);
  notEqual(a, generateToken());
  const yaml = k8sManifests({ ...BASE, token: undefined });
  const secret = find(documents(yaml), "Secret", "token");
  equal(secret.metadata.name, "rampa-checkout-token");
  match(secret.stringData.token, /^[0-9a-f]{64}$/);
  equal(yaml.split(secret.stringData.token).length, 2, "the token appears once");
});

Deno.test("an existing token secret replaces the generated one", () => {
  const docs = documents(k8sManifests({ ...BASE, token: undefined, tokenSecret: "shared" }));
  ok(!docs.some((d) => d.kind === "Secret"));
  const env = find(docs, "Job", "host").spec.template.spec.containers[0].env[1];
  deepEqual(env.valueFrom.secretKeyRef, { name: "shared", key: "token" });
});

Deno.test("k8s delete names the same objects and prints no token", () => {
  const applied = documents(k8sManifests(BASE));
  const yaml = k8sDelete({ ...BASE, token: undefined });
  const deleted = documents(yaml);
  const id = (d: { kind: string; metadata: { name: string; namespace?: string } }) =>
    `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`;
  deepEqual(deleted.map(id), applied.map(id));
  for (const doc of deleted) {
    deepEqual(Object.keys(doc), ["apiVersion", "kind", "metadata"]);
    deepEqual(k8sSchemaErrors(doc), [], doc.kind);
  }
  ok(!yaml.includes("stringData"));
});

Deno.test("the YAML stream has no anchors, so any consumer reads it", () => {
  const yaml = k8sManifests(BASE);
  ok(!/[&*]a\d/.test(yaml));
  match(yaml, /^# rampa fleet: 4 host\(s\)/);
  match(yaml, /kubectl logs -n load -f job\/rampa-checkout-coordinator/);
});

Deno.test("bad quantities and a missing scenario file are reported together", () => {
  const e = configError(() =>
    k8sObjects({ ...BASE, cpu: "two", memory: "1GB", scenario: "other.ts" })
  );
  equal(e.issues.length, 3);
  match(e.issues[0], /Cannot parse --cpu "two": expected a Kubernetes quantity/);
  match(e.issues[1], /--memory "1GB"/);
  match(e.issues[2], /Missing the scenario "other.ts"/);
});

Deno.test("files over the ConfigMap limit are refused with the way out", () => {
  const big = new Uint8Array(CONFIGMAP_LIMIT_BYTES).fill(0x61);
  throws(
    () => k8sManifests({ ...BASE, files: [...BASE.files!, { path: "big.txt", data: big }] }),
    /over Kubernetes' limit of 1 MiB; build an image that contains them/,
  );
});

Deno.test("values a YAML 1.1 reader (kubectl) would take for booleans or numbers stay strings", () => {
  const runArgs = ["--flag", "on", "-e", "WHEN=14:00", "no", "1_000", "0755"];
  const yaml = k8sManifests({ ...BASE, runArgs });
  for (const version of ["1.1", "1.2"] as const) {
    const docs = parseAllDocuments(yaml, { version }).map((d) => d.toJS());
    const args = find(docs, "Job", "host").spec.template.spec.containers[0].args;
    deepEqual(args.slice(-runArgs.length), runArgs, `YAML ${version}`);
  }
});
