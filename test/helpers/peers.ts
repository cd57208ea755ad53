import { mlflow } from "../../components/tools/mlflow/index";
import { mlflowParams } from "../../components/tools/mlflow/params";
import type { RenderResult } from "../../src/engine/render";

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

/** Whether MLflow's generated admin password (the mock's value) appears anywhere in what the program recorded. */
export function leaksMlflowPassword(result: RenderResult): boolean {
  return JSON.stringify(result).includes("mock-mlflow-admin-password");
}
