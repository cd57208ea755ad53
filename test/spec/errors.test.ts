import { strict as assert } from "node:assert";
import { errorsOf, VALID_SPEC } from "../helpers/spec-text";

const withSpec = (from: string, to: string) => VALID_SPEC.replace(from, to);
const LIST_OF_TRACKERS = "tools for experiment_tracker: mlflow, wandb, determined, clearml";

/** [case, spec text, the exact lines the CLI prints]. */
const CASES: [string, string, string[]][] = [
  // The file itself.
  ["malformed YAML", "name: demo\nprovider: [aws\n", [
    "stack.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ]],
  ["duplicate keys", "name: demo\nname: other\n", [
    'stack.yaml:2:1: duplicate key "name" — each key may appear once in a mapping (first at line 1)',
  ]],
  ["empty file", "", ['stack.yaml: the file is empty — start from "platinfra init" or examples/aws-mlops-stack.yaml']],
  ["only comments", "# nothing\n", ['stack.yaml: the file is empty — start from "platinfra init" or examples/aws-mlops-stack.yaml']],
  ["a scalar instead of a mapping", "just a string\n", [
    'stack.yaml:1:1: expected a mapping with keys name, provider, deployment and stack; received the value "just a string"',
  ]],
  ["a list instead of a mapping", "- a\n- b\n", [
    "stack.yaml:1:1: expected a mapping with keys name, provider, deployment and stack; received a list",
  ]],
  ["several documents", `${VALID_SPEC}---\nname: x\n`, [
    'stack.yaml:9:1: the file holds several YAML documents — a stack file is one document; remove the "---" separator',
  ]],
  ["tab indentation", "name: demo\n\tprovider: x\n", ["stack.yaml:2:1: invalid YAML: Tabs are not allowed as indentation"]],
  [
    "a key indented one space more than the line above: the deeper line is the one to fix",
    'name: demo\nprovider:\n  name: aws\n   account-id: "123456789012"\ndeployment:\n  type: kubernetes\n',
    ['stack.yaml:4:4: invalid YAML: "account-id" is indented 3 spaces, more than line 3 (2) — keys of one mapping line up: indent it like the key above, or nest it under a key that ends with ":"'],
  ],
  // Top level and name.
  ["missing top-level keys", "name: demo\n", [
    'stack.yaml:1:1: provider: missing required key "provider" (expected a mapping) — required here: name, provider, deployment, stack',
    'stack.yaml:1:1: deployment: missing required key "deployment" (expected a mapping) — required here: name, provider, deployment, stack',
    'stack.yaml:1:1: stack: missing required key "stack" (expected a mapping) — required here: name, provider, deployment, stack',
  ]],
  ["invalid stack name", withSpec("name: demo", "name: Demo_Stack"), [
    'stack.yaml:1:7: name: "Demo_Stack" is not a valid stack name — use 1–40 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it starts every AWS name platinfra derives)',
  ]],
  ["stack name too long", withSpec("name: demo", `name: ${"a".repeat(41)}`), [
    `stack.yaml:1:7: name: "${"a".repeat(41)}" is too long — use 1–40 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it starts every AWS name platinfra derives)`,
  ]],
  ["stack name of the wrong type", withSpec("name: demo", "name: 42"), ["stack.yaml:1:7: name: expected a string, received the number 42 — quote it: unquoted, YAML reads it as a number"]],
  // Provider.
  ["account id that lost its leading zero", withSpec('account-id: "123456789012"', "account-id: 12345678901"), [
    'stack.yaml:4:15: provider.account-id: 12345678901 is not an AWS account id — expected exactly 12 digits. If it starts with 0, quote it ("012345678901"): YAML drops leading zeros of numbers.',
  ]],
  ["account id with letters", withSpec('account-id: "123456789012"', 'account-id: "12345678901x"'), [
    'stack.yaml:4:15: provider.account-id: "12345678901x" is not an AWS account id — expected exactly 12 digits.',
  ]],
  ["account-id and account_id both", withSpec('account-id: "123456789012"', 'account-id: "123456789012"\n  account_id: "123456789012"'), [
    'stack.yaml:5:15: provider.account_id: both "account-id" and "account_id" are given — keep one',
  ]],
  ["account id missing", withSpec('  account-id: "123456789012"\n', ""), [
    'stack.yaml:3:3: provider: missing required key "account-id" — add the 12-digit AWS account id, quoted: account-id: "123456789012"',
  ]],
  ["unsupported provider", withSpec("name: aws", "name: gcp"), [
    'stack.yaml:3:9: provider.name: provider "gcp" is not supported yet — supported: aws',
  ]],
  ["invalid region", withSpec('account-id: "123456789012"', 'account-id: "123456789012"\n  region: Europe'), [
    'stack.yaml:5:11: provider.region: "Europe" is not an AWS region name — expected a name like us-east-1 or eu-west-2',
  ]],
  // Deployment.
  ["unsupported deployment type", withSpec("type: kubernetes", "type: vm"), [
    'stack.yaml:6:9: deployment.type: deployment type "vm" is not supported yet — supported: kubernetes (EKS on AWS)',
  ]],
  ["misspelled key", withSpec("deployment:\n", "deployment:\n  tpye: kubernetes\n"), [
    'stack.yaml:6:3: deployment.tpye: unknown key "tpye" — did you mean "type"? (allowed: type, kubernetes_version, support, cluster_log_retention_days, databases, endpoint_public_access, public_access_cidrs, node_groups, autoscaling, vpc, deletion_protection, force_destroy_buckets, tags, admins, dns, existing_cluster, from_terraform_state) — fix the spelling or remove it',
  ]],
  // Stack.
  ["misspelled category", withSpec("experiment_tracker:", "experiment_trackers:"), [
    'stack.yaml:8:3: stack.experiment_trackers: unknown key "experiment_trackers" — did you mean "experiment_tracker"? (allowed: data_versioning, experiment_tracker, pipelining, orchestrator, runtime_engine, artifact_tracker, model_registry, model_serving, monitoring, alerting) — fix the spelling or remove it',
  ]],
  ["category given as a scalar", withSpec("[mlflow]", "mlflow"), [
    'stack.yaml:8:23: stack.experiment_tracker: expected a list, received the string "mlflow"',
  ]],
  ["item with two tools", withSpec("[mlflow]", "[{mlflow: {}, ray: {}}]"), [
    'stack.yaml:8:24: stack.experiment_tracker[0]: expected a tool name or a single-key mapping {tool: {params}}, received a mapping with 2 keys ("mlflow", "ray") — write one item per tool',
  ]],
  ["item that is a number", withSpec("[mlflow]", "[42]"), [
    "stack.yaml:8:24: stack.experiment_tracker[0]: expected a tool name or a single-key mapping {tool: {params}}, received the number 42",
  ]],
  ["misspelled tool", withSpec("[mlflow]", "[mlfow]"), [
    `stack.yaml:8:24: stack.experiment_tracker[0]: unknown tool "mlfow" — did you mean "mlflow"? (${LIST_OF_TRACKERS})`,
  ]],
  ["unknown tool with no near name", withSpec("[mlflow]", "[kafka]"), [
    `stack.yaml:8:24: stack.experiment_tracker[0]: unknown tool "kafka" (${LIST_OF_TRACKERS})`,
  ]],
  ["tool under a category it cannot serve", withSpec("[mlflow]", "[zenml]"), [
    `stack.yaml:8:24: stack.experiment_tracker[0]: zenml cannot serve as experiment_tracker — it serves: pipelining; ${LIST_OF_TRACKERS}`,
  ]],
  ["tool listed twice in one category", withSpec("[mlflow]", "[mlflow, MLflow]"), [
    "stack.yaml:8:32: stack.experiment_tracker[1]: mlflow is listed twice under experiment_tracker — list it once",
  ]],
  ["params given twice for one deployment", `${withSpec("[mlflow]", "[{mlflow: {}}]")}  artifact_tracker: [{mlflow: {}}]\n`, [
    "stack.yaml:9:31: stack.artifact_tracker[0].mlflow: params for mlflow are given twice (first at stack.experiment_tracker[0].mlflow) — one deployment serves every role, so give its params once",
  ]],
  ["params for a tool that is not deployable yet", withSpec("[mlflow]", "[mlflow]\n  orchestrator: [{azure-aks: {license: x}}]"), [
    'stack.yaml:9:30: stack.orchestrator[0].azure-aks: azure-aks takes no params until it is deployable (received "license") — remove them',
  ]],
  ["params that are not a mapping", withSpec("[mlflow]", "[{wandb: [1]}]"), [
    "stack.yaml:8:32: stack.experiment_tracker[0].wandb: params of wandb must be a mapping, received a list of 1",
  ]],
  ["a stack with no tools", withSpec("  experiment_tracker: [mlflow]\n", "  experiment_tracker: []\n"), [
    "stack.yaml:8:3: stack: the stack lists no tools — add at least one, e.g. experiment_tracker: [mlflow]",
  ]],
  ["an empty stack section", withSpec("  experiment_tracker: [mlflow]\n", ""), [
    "stack.yaml:7:7: stack: expected a mapping, received null (an empty value)",
  ]],
];

describe("spec errors: every class, with its exact position and message", () => {
  for (const [name, text, expected] of CASES) {
    it(name, () => assert.deepEqual(errorsOf(text), expected));
  }

  it("reports every problem of a file at once, in file order", () => {
    const text = withSpec("name: demo", "name: Bad_Name").replace("name: aws", "name: gcp").replace("[mlflow]", "[mlfow]");
    assert.deepEqual(
      errorsOf(text).map((line) => line.split(": ").slice(0, 2).join(": ")),
      ["stack.yaml:1:7: name", "stack.yaml:3:9: provider.name", "stack.yaml:8:24: stack.experiment_tracker[0]"],
    );
  });
});
