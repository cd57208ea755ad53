import { strict as assert } from "node:assert";
import { mlflow } from "../../components/tools/mlflow/index";
import { mlflowParams } from "../../components/tools/mlflow/params";
import type { RenderResult } from "../../src/engine/render";
import { waitsFor } from "./graph";
import { named } from "./render";

/** The real MLflow, exposed: basic auth on, so its pod settings carry a password (a generated Pulumi secret). */
export const MLFLOW_WITH_AUTH = {
  module: mlflow,
  params: mlflowParams.parse({ expose: { host: "mlflow.example.com", certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } }),
};

/** What a pod of another tool gets from that MLflow: the Service's URI and username as values, the password by reference. */
export const MLFLOW_POD_ENV = [
  { name: "MLFLOW_TRACKING_URI", value: "http://mlflow.mlflow.svc.cluster.local:5000" },
  { name: "MLFLOW_TRACKING_USERNAME", value: "admin" },
  { name: "MLFLOW_TRACKING_PASSWORD", valueFrom: { secretKeyRef: { name: "mlflow-client", key: "MLFLOW_TRACKING_PASSWORD" } } },
];

/**
 * The copy of MLflow's client Secret a tool makes (`<tool>-mlflow-client`): named `mlflow-client` in
 * `namespace`, its values a Pulumi secret, after that namespace and before `reader` (the release whose
 * pods read it); MLflow's generated password appears nowhere in what the program recorded.
 */
export function assertMlflowClientSecret(result: RenderResult, args: { tool: string; namespace: string; namespaceResource: string; reader: string }): void {
  const secret = named(result, `${args.tool}-mlflow-client`, "kubernetes:core/v1:Secret");
  assert.deepEqual([secret.inputs.metadata, secret.inputs.stringData], [{ name: "mlflow-client", namespace: args.namespace }, "[secret]"]);
  assert.ok(waitsFor(result, named(result, args.reader, "kubernetes:helm.sh/v3:Release"), secret), `${args.reader} waits for the Secret its pods read`);
  assert.ok(waitsFor(result, secret, named(result, args.namespaceResource, "kubernetes:core/v1:Namespace")), "the Secret waits for its namespace");
  assert.equal(JSON.stringify(result).includes("mock-mlflow-admin-password"), false, "MLflow's password in plain text");
}
