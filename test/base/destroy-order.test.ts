import { strict as assert } from "node:assert";
import type { RenderResult } from "../../src/engine/render";
import { waitsFor } from "../helpers/graph";
import { named, ofType, renderSpec } from "../helpers/render";
import { specOf, stackFile } from "../helpers/spec-text";

/** A stack with an exposed MLflow (Ingress → ALB), its database, and a deletable, force-destroyed base. */
const STACK = stackFile({
  name: "shop",
  deployment: ["support: extended", "deletion_protection: false", "force_destroy_buckets: true", "databases: {apply_immediately: true}", "vpc: {flow_logs: true}"],
  stack: `  experiment_tracker:
    - mlflow:
        expose: {host: mlflow.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"}`,
});

describe("destroy order and data safety, on the rendered graph", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderSpec(specOf(STACK, { allDeployable: true }));
  });

  it("Kubernetes objects that make controllers create AWS resources go before the controllers, nodes and cluster", () => {
    // Pulumi deletes a resource before everything it waits for: Ingress (ALB, its security groups)
    // and the tool namespace (its PVCs, hence EBS volumes) are deleted, and waited for, while the
    // load balancer controller, the EBS CSI driver, the nodes and the control plane still run.
    const ingress = named(result, "mlflow-ingress");
    const namespace = named(result, "mlflow-namespace");
    const controllers = [
      named(result, "shop-addons-lb-controller", "kubernetes:helm.sh/v3:Release"),
      named(result, "shop-addons-aws-ebs-csi-driver", "aws:eks/addon:Addon"),
      named(result, "shop-addons-vpc-cni", "aws:eks/addon:Addon"),
      named(result, "shop-addons-gp3"),
      named(result, "shop-nodes-system", "aws:eks/nodeGroup:NodeGroup"),
      named(result, "shop-cluster-eks"),
    ];
    for (const controller of controllers) {
      assert.ok(waitsFor(result, ingress, controller), `the Ingress is deleted before ${controller.name}`);
      assert.ok(waitsFor(result, namespace, controller), `the namespace is deleted before ${controller.name}`);
    }
    assert.ok(waitsFor(result, ingress, namespace));
  });

  it("every other Helm release waits for the load balancer controller (its Service webhook refuses Services until it runs)", () => {
    const lbc = named(result, "shop-addons-lb-controller", "kubernetes:helm.sh/v3:Release");
    const others = ofType(result, "kubernetes:helm.sh/v3:Release").filter((release) => release !== lbc);
    assert.deepEqual(others.map((release) => release.name).sort(), ["mlflow", "shop-addons-metrics-server", "shop-external-secrets", "shop-karpenter-controller", "shop-karpenter-crd", "shop-reloader"]);
    for (const release of others) assert.ok(waitsFor(result, release, lbc), release.name);
  });

  it("the tool database: final snapshot kept on the release path, extended support and immediate changes as the spec asks", () => {
    const db = named(result, "mlflow-db", "aws:rds/instance:Instance").inputs;
    assert.equal(db.deletionProtection, false);
    assert.equal(db.skipFinalSnapshot, false);
    assert.match(String(db.finalSnapshotIdentifier), /^shop-dev-mlflow-final-\d{8}-\d{4}$/);
    assert.equal(db.engineLifecycleSupport, "open-source-rds-extended-support");
    assert.equal(db.applyImmediately, true);
    assert.deepEqual(named(result, "shop-cluster-eks").inputs.upgradePolicy, { supportType: "EXTENDED" });
  });

  it("the flow-logs bucket follows force_destroy_buckets", () => {
    assert.equal(named(result, "shop-flow-logs", "aws:s3/bucket:Bucket").inputs.forceDestroy, true);
  });
});
