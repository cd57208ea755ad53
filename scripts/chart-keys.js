// Writes test/fixtures/chart-keys/<chart>.json: the Helm values key paths that each chart's
// default values.yaml (in <project root>/../shared/charts/<chart>/) declares, so tests can check
// that every values key the deployer sets exists in that chart version (Helm silently ignores
// a misspelled key). The tests only read the committed fixtures, never ../shared.
//
// Usage: node scripts/chart-keys.js [chart ...]   (no arguments: every chart in CHARTS)
//        node scripts/chart-keys.js --from <dir> --source "<owner/repo>@<commit> <folder>" chart ...
//   --from reads <dir>/<chart>/{Chart.yaml,values.yaml} for charts ../shared/charts lacks (e.g. the
//   chart folder of the project's repository at the release tag: `git archive <tag> <folder> | tar -x`);
//   --source names that origin in the fixture. A chart there without values.yaml declares no keys.
//
// Fixture format:
//   chart       folder name under ../shared/charts
//   version     Chart.yaml `version`, appVersion: Chart.yaml `appVersion` (or null), as written
//   source      path of the values file, relative to the project root
//   keys        every mapping key of values.yaml at every depth, as a dotted path; a "." inside
//               a key is escaped as "\." (keys inside list items are not enumerated)
//   openMaps    paths whose value is an empty mapping `{}` or a free-form mapping (annotations,
//               labels, resources, ...): any sub-key is accepted under them
//   lists       paths whose default value is a list: the whole list may be set, items unchecked
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const SHARED_CHARTS = path.resolve(ROOT, "..", "shared", "charts");
const OUT_DIR = path.join(ROOT, "test", "fixtures", "chart-keys");

const CHARTS = [
  "mlflow",
  "prefect-server",
  "prefect-worker",
  "zenml",
  "lakefs",
  "dagster",
  "argo-workflows",
  "airflow",
  "kuberay-operator",
  "ray-cluster",
  "triton",
  "external-secrets",
  "aws-load-balancer-controller",
  "metrics-server",
  "karpenter",
  "karpenter-crd",
  "nvidia-device-plugin",
  "reloader",
  "flyte-binary-v1",
  "pachyderm",
  "seldon-core-v2-setup",
  "determined",
  "clearml",
];

// Keys whose value is a free-form mapping when it is a mapping or null (null: the chart leaves
// it unset, with the map form shown in comments).
const FREE_FORM_NAMES = new Set([
  "annotations",
  "labels",
  "nodeSelector",
  "affinity",
  "resources",
  "limits",
  "requests",
  "securityContext",
  "podSecurityContext",
  "containerSecurityContext",
  "matchLabels",
]);
// Name endings with the same meaning (podAnnotations, commonLabels, deploymentAnnotations, ...).
const FREE_FORM_SUFFIXES = ["Annotations", "Labels", "NodeSelector", "SecurityContext", "Affinity"];
// Keys that are free-form only when their default is a mapping: charts also use these names
// for lists (env: [{name, value}], extraArgs: ["--flag"], tolerations: [...]).
const FREE_FORM_IF_MAP = new Set([
  "env",
  "extraEnv",
  "extraEnvVars",
  "environment",
  "secretEnvironment",
  "extraArgs",
  "args",
  "tolerations",
]);

// Per-chart free-form mappings that the rules above cannot see, each with its reason.
const EXTRA_OPEN_MAPS = {
  // `env: ` is null; the comment shows the map form (ENV_1: "") and the deployment template
  // ranges over it as name -> value.
  "aws-load-balancer-controller": ["env"],
  // `config` is airflow.cfg, section -> option (the chart's configmap writes every entry); the
  // defaults list only some options of each section, Airflow reads all of them.
  airflow: ["config"],
  // The map key is the worker group name ("smallGroup" is only the disabled example).
  "ray-cluster": ["additionalWorkerGroups"],
  // Passed to the secrets store as JSON (`authConfig | toJson`); its keys depend on authMethod.
  // (hashicorp authConfig is read field by field, so it stays closed.)
  zenml: [
    "server.secretsStore.aws.authConfig",
    "server.secretsStore.gcp.authConfig",
    "server.secretsStore.azure.authConfig",
    "server.backupSecretsStore.aws.authConfig",
    "server.backupSecretsStore.gcp.authConfig",
    "server.backupSecretsStore.azure.authConfig",
    // `passwordSecretRef:` is null, its `name`/`key` shown in comments; server-deployment.yaml and
    // server-db-job.yaml read `.passwordSecretRef.name` and `.passwordSecretRef.key`.
    "server.database.passwordSecretRef",
  ],
};

// Free-form mappings a chart's templates read but its values.yaml only shows in comments (or not at all), each with its reason.
const COMMENTED_OPEN_MAPS = {
  // deployment.yaml: `{{- if .Values.deployment.resources }} resources: {{- toYaml .Values.deployment.resources }}`.
  "flyte-binary-v1": ["deployment.resources"],
  // _servers-statefulsets.tpl and _servers-deployments.tpl: `podSpec: {{ toJson .Values.<server>.podSpec }}`, the
  // Server's PodSpec overrides (nodeSelector, tolerations, containers merged by name), absent from values.yaml.
  "seldon-core-v2-servers": ["mlserver.podSpec", "triton.podSpec"],
  // master-config.yaml: `cpu_pod_spec: {{ .Values.taskContainerDefaults.cpuPodSpec | toJson }}` (and gpu/checkpointGc),
  // whole Pod objects, shown only in comments; slot_resource_requests.cpu when `slotType` is not gpu.
  determined: ["taskContainerDefaults.cpuPodSpec", "taskContainerDefaults.gpuPodSpec", "taskContainerDefaults.checkpointGcPodSpec", "slotResourceRequests"],
};

// Scalar keys a chart's templates read but its values.yaml does not declare at all, each with its reason.
const TEMPLATE_ONLY_KEYS = {
  // pachd/deployment.yaml (and preflight/job.yaml): `{{- if .Values.global.postgresql.ssl }} POSTGRES_SSL: "require"`;
  // without it pachd connects to PostgreSQL with sslmode=disable (pachconfig's default).
  pachyderm: ["global.postgresql.ssl"],
  // master-config.yaml and _helpers.tpl (determined 0.38.1) read these, values.yaml shows them in comments only:
  // db.hostAddress (external database; skips the bundled one), the db TLS settings, the s3 bucket/prefix,
  // the master's limits, slotType, and initialUserPassword (master-config.yaml: `coalesce .Values.initialUserPassword .Values.defaultPassword`).
  determined: ["db.hostAddress", "db.sslMode", "db.sslRootCert", "db.resourceType", "db.certResourceName", "checkpointStorage.bucket", "checkpointStorage.prefix", "masterCpuLimit", "masterMemLimit", "slotType", "initialUserPassword"],
  // _helpers.tpl (7.15.0) writes `"scheme":"{{ .Values.elasticsearch.httpScheme }}"` into the API server's
  // Elasticsearch hosts; neither clearml's nor the elastic chart's values declare it (renders "").
  clearml: ["elasticsearch.httpScheme"],
};

// Keys of subcharts (values under the subchart's name) that the parent's values.yaml does not
// declare, as the subchart's values file at the version the parent's Chart.yaml pins declares them.
// `openMaps` are free-form there (resources).
const SUBCHART_KEYS = {
  clearml: {
    // elastic/elasticsearch 7.17.3 (clearml-helm-charts charts/clearml/charts/elasticsearch-7.17.3.tgz):
    // `sysctlInitContainer.enabled: true`; bitnami mongodb 13.18.5 (mongodb-13.18.5.tgz): `resources.{limits,requests}: {}`;
    // dragonfly (contrib/charts/dragonfly values.yaml): `resources.{requests,limits}: {}`, `storage.storageClassName`.
    keys: ["elasticsearch.sysctlInitContainer", "elasticsearch.sysctlInitContainer.enabled", "dragonfly.storage.storageClassName"],
    openMaps: ["mongodb.resources", "dragonfly.resources"],
  },
};

function escapeKey(key) {
  return String(key).replace(/\./g, "\\.");
}

function join(prefix, key) {
  return prefix === "" ? escapeKey(key) : `${prefix}.${escapeKey(key)}`;
}

function isPlainMap(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isFreeFormName(name, value) {
  if (FREE_FORM_IF_MAP.has(name)) return isPlainMap(value);
  if (!(isPlainMap(value) || value === null)) return false;
  return FREE_FORM_NAMES.has(name) || FREE_FORM_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

// Walks parsed values and fills the keys/openMaps/lists sets.
function collect(node, prefix, out) {
  for (const [key, value] of Object.entries(node)) {
    const p = join(prefix, key);
    out.keys.add(p);
    if (Array.isArray(value)) {
      out.lists.add(p);
    } else if (isPlainMap(value)) {
      if (Object.keys(value).length === 0 || isFreeFormName(key, value)) out.openMaps.add(p);
      collect(value, p, out);
    } else if (value === null && isFreeFormName(key, value)) {
      out.openMaps.add(p);
    }
  }
}

// True if `p` is an openMaps entry or below one, or below a list.
function coveredBy(out, p) {
  for (const open of out.openMaps) if (p === open || p.startsWith(`${open}.`)) return true;
  for (const list of out.lists) if (p.startsWith(`${list}.`)) return true;
  return false;
}

function schemaTypes(schema) {
  if (!schema || typeof schema !== "object") return [];
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

// Properties declared by a schema node, including those of allOf/anyOf/oneOf branches.
function schemaProperties(schema) {
  const props = {};
  if (!schema || typeof schema !== "object") return props;
  for (const branch of [schema, ...(schema.allOf || []), ...(schema.anyOf || []), ...(schema.oneOf || [])]) {
    if (branch && branch.properties) {
      for (const [name, sub] of Object.entries(branch.properties)) {
        if (!props[name]) props[name] = sub;
      }
    }
  }
  return props;
}

// Adds the properties that values.schema.json declares but values.yaml omits (pushed to
// report.added). An open map that the schema closes (`additionalProperties: false` with declared
// properties, e.g. mlflow's `autoscaling.behavior: {}`) is no longer open: Helm would reject
// any other sub-key (pushed to report.closed).
function addSchemaKeys(schema, prefix, out, report) {
  for (const [name, sub] of Object.entries(schemaProperties(schema))) {
    const p = join(prefix, name);
    if (
      out.openMaps.has(p) &&
      sub &&
      sub.additionalProperties === false &&
      Object.keys(schemaProperties(sub)).length > 0
    ) {
      out.openMaps.delete(p);
      report.closed.push(p);
    }
    if (coveredBy(out, p) && !out.keys.has(p)) continue;
    if (!out.keys.has(p)) {
      out.keys.add(p);
      report.added.push(p);
      const types = schemaTypes(sub);
      const hasProps = Object.keys(schemaProperties(sub)).length > 0;
      if (types.includes("array")) out.lists.add(p);
      else if (types.includes("object") && (!hasProps || isFreeFormName(name, {}))) out.openMaps.add(p);
    }
    if (!coveredBy(out, p)) addSchemaKeys(sub, p, out, report);
  }
}

function readYaml(file, options) {
  const YAML = require("yaml");
  const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), options);
  if (doc.errors.length > 0) {
    throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
  }
  return doc;
}

function buildFixture(chart, chartsDir = SHARED_CHARTS, origin) {
  const dir = path.join(chartsDir, chart);
  const valuesFile = path.join(dir, "values.yaml");
  const chartFile = path.join(dir, "Chart.yaml");
  // Only a chart read from its own repository (--from) may have no values.yaml (a CRD-only chart).
  for (const file of origin ? [chartFile] : [valuesFile, chartFile]) {
    if (!fs.existsSync(file)) throw new Error(`${chart}: missing ${file}`);
  }

  // failsafe: every scalar stays the string written in Chart.yaml (e.g. appVersion "1.0").
  const meta = readYaml(chartFile, { schema: "failsafe" }).toJS() || {};
  // merge: Helm's YAML parser accepts `<<` merge keys.
  const values = fs.existsSync(valuesFile) ? readYaml(valuesFile, { merge: true, uniqueKeys: false }).toJS({ maxAliasCount: -1 }) : null;

  const out = { keys: new Set(), openMaps: new Set(), lists: new Set() };
  if (isPlainMap(values)) collect(values, "", out);
  else if (values !== null && values !== undefined) throw new Error(`${valuesFile}: top level is not a mapping`);

  for (const p of EXTRA_OPEN_MAPS[chart] || []) {
    if (!out.keys.has(p)) throw new Error(`${chart}: EXTRA_OPEN_MAPS entry ${p} is not a key of values.yaml`);
    out.openMaps.add(p);
  }

  for (const p of COMMENTED_OPEN_MAPS[chart] || []) {
    if (out.keys.has(p)) throw new Error(`${chart}: COMMENTED_OPEN_MAPS entry ${p} is a key of values.yaml: list it in EXTRA_OPEN_MAPS if needed`);
    out.keys.add(p);
    out.openMaps.add(p);
  }

  for (const p of TEMPLATE_ONLY_KEYS[chart] || []) {
    if (out.keys.has(p)) throw new Error(`${chart}: TEMPLATE_ONLY_KEYS entry ${p} is a key of values.yaml: remove it from TEMPLATE_ONLY_KEYS`);
    out.keys.add(p);
  }

  const subchart = SUBCHART_KEYS[chart] || { keys: [], openMaps: [] };
  for (const p of [...subchart.keys, ...subchart.openMaps]) {
    if (out.keys.has(p)) throw new Error(`${chart}: SUBCHART_KEYS entry ${p} is a key of values.yaml: remove it from SUBCHART_KEYS`);
    out.keys.add(p);
  }
  for (const p of subchart.openMaps) out.openMaps.add(p);

  const schema = { added: [], closed: [] };
  const schemaFile = path.join(dir, "values.schema.json");
  if (fs.existsSync(schemaFile)) {
    addSchemaKeys(JSON.parse(fs.readFileSync(schemaFile, "utf8")), "", out, schema);
  }

  const sorted = (set) => [...set].sort();
  return {
    fixture: {
      chart,
      version: meta.version === undefined ? null : String(meta.version),
      appVersion: meta.appVersion === undefined || meta.appVersion === "" ? null : String(meta.appVersion),
      source: origin ? `${origin}/${chart}/values.yaml` : `../shared/charts/${chart}/values.yaml`,
      keys: sorted(out.keys),
      openMaps: sorted(out.openMaps),
      lists: sorted(out.lists),
    },
    schema: { added: schema.added.sort(), closed: schema.closed.sort() },
  };
}

/**
 * Whether a dotted Helm values path (dots inside a key escaped as "\.") is accepted by a
 * fixture: it is one of its keys, lies under one of its open maps, or is one of its lists.
 */
function isKnownKeyPath(fixture, keyPath) {
  if (fixture.keys.includes(keyPath)) return true;
  if (fixture.openMaps.some((open) => keyPath.startsWith(`${open}.`))) return true;
  return fixture.lists.includes(keyPath);
}

/** `--from <dir> --source <origin>` (both or neither) and the chart names. */
function parseArgs(argv) {
  const options = { charts: [] };
  for (let index = 0; index < argv.length; index += 1) {
    if (argv[index] === "--from" || argv[index] === "--source") options[argv[index].slice(2)] = argv[(index += 1)];
    else options.charts.push(argv[index]);
  }
  if (Boolean(options.from) !== Boolean(options.source)) throw new Error("--from and --source go together: the fixture records where its values came from");
  if (options.from && options.charts.length === 0) throw new Error("--from needs the chart names to read there");
  return options;
}

function main(argv) {
  const options = parseArgs(argv);
  if (options.from) return writeFixtures(options.charts, path.resolve(options.from), options.source);
  if (!fs.existsSync(SHARED_CHARTS) || !fs.statSync(SHARED_CHARTS).isDirectory()) {
    console.error(
      `chart-keys: ${SHARED_CHARTS} not found. It holds the charts' default values ` +
        "(<project root>/../shared/charts/<chart>/values.yaml and Chart.yaml); the committed " +
        "fixtures in test/fixtures/chart-keys/ were left unchanged.",
    );
    return 1;
  }
  return writeFixtures(options.charts.length > 0 ? options.charts : CHARTS, SHARED_CHARTS);
}

function writeFixtures(charts, chartsDir, origin) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const chart of charts) {
    const { fixture, schema } = buildFixture(chart, chartsDir, origin);
    fs.writeFileSync(path.join(OUT_DIR, `${chart}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
    const schemaNote = schema.added.length > 0 ? `, ${schema.added.length} keys from values.schema.json` : "";
    console.log(
      `${chart} ${fixture.version}: ${fixture.keys.length} keys, ${fixture.openMaps.length} open maps, ` +
        `${fixture.lists.length} lists${schemaNote}`,
    );
    for (const p of schema.added) console.log(`  key from schema: ${p}`);
    for (const p of schema.closed) console.log(`  closed by schema (not an open map): ${p}`);
  }
  return 0;
}

module.exports = { isKnownKeyPath, buildFixture, CHARTS };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`chart-keys: ${error.message}`);
    process.exitCode = 1;
  }
}
