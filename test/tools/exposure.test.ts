import { strict as assert } from "node:assert";
import type { RenderResult } from "../../src/engine/render";
import { named, ofType, renderSpec } from "../helpers/render";
import { specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123";
const exposed = (tool: string, host: string) => `{${tool}: {expose: {host: ${host}, certificate_arn: "${CERTIFICATE}"}}}`;
const BOTH_EXPOSED = stackWith({ experiment_tracker: [exposed("mlflow", "mlflow.example.com")], pipelining: [exposed("zenml", "zenml.example.com")] });
const WITH_ZONE = BOTH_EXPOSED.replace("  type: kubernetes\n", "  type: kubernetes\n  dns: {hosted_zone_id: Z0123456789ABCDEFGHIJ}\n");
/** What the mocks answer for the ALB of group demo-dev in eu-west-1, as the controller writes it into each Ingress's status. */
const ALB = "k8s-demo-dev-0123456789-1234567890.eu-west-1.elb.amazonaws.com";

const toolOutputs = (result: RenderResult, tool: string) => (result.outputs.tools as Record<string, Record<string, unknown>>)[tool];

describe("exposed tools: one ALB per stack, its address exported, DNS records when a zone is named", () => {
  let plain: RenderResult;
  let zoned: RenderResult;
  before(async () => {
    plain = await renderSpec(specOf(BOTH_EXPOSED));
    zoned = await renderSpec(specOf(WITH_ZONE));
  });

  it("every exposed tool's Ingress joins the stack's IngressGroup, so they share one ALB", () => {
    for (const tool of ["mlflow", "zenml"]) {
      const annotations = (named(plain, `${tool}-ingress`).inputs as any).metadata.annotations;
      assert.deepEqual(annotations, {
        "alb.ingress.kubernetes.io/group.name": "demo-dev",
        "alb.ingress.kubernetes.io/scheme": "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
        "alb.ingress.kubernetes.io/certificate-arn": CERTIFICATE,
        "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "alb.ingress.kubernetes.io/healthcheck-path": "/health",
      }, tool);
    }
  });

  it("each exposed tool exports the ALB's hostname from its Ingress status", () => {
    assert.equal(toolOutputs(plain, "mlflow").loadBalancerHostname, ALB);
    assert.equal(toolOutputs(plain, "zenml").loadBalancerHostname, ALB);
  });

  it("without a hosted zone: no DNS record (the hosts are the user's to point at the ALB)", () => {
    assert.equal(ofType(plain, "aws:route53/record:Record").length, 0);
  });

  it("with deployment.dns: an alias A record per exposed host, to the ALB in the region's ALB zone", () => {
    const records = ofType(zoned, "aws:route53/record:Record").map((record) => [record.name, record.inputs]);
    assert.deepEqual(records.sort(), [
      ["mlflow-dns", { zoneId: "Z0123456789ABCDEFGHIJ", name: "mlflow.example.com", type: "A", aliases: [{ name: ALB, zoneId: "ZALB0EXAMPLE", evaluateTargetHealth: true }] }],
      ["zenml-dns", { zoneId: "Z0123456789ABCDEFGHIJ", name: "zenml.example.com", type: "A", aliases: [{ name: ALB, zoneId: "ZALB0EXAMPLE", evaluateTargetHealth: true }] }],
    ]);
  });

  it("the group name follows the controller's rule for a long stack name: lowercase, at most 63 characters", async () => {
    const long = await renderSpec(specOf(BOTH_EXPOSED.replace("name: demo", "name: a-forty-character-stack-name-for-testing")));
    const group = (named(long, "mlflow-ingress").inputs as any).metadata.annotations["alb.ingress.kubernetes.io/group.name"];
    assert.equal(group, "a-forty-character-stack-name-for-testing-dev");
    const veryLong = await renderSpec(specOf(BOTH_EXPOSED.replace("name: demo", "name: a-forty-character-stack-name-for-testing")), { environment: "production-eu-west-1-blue-green-canary" });
    const shortened = (named(veryLong, "mlflow-ingress").inputs as any).metadata.annotations["alb.ingress.kubernetes.io/group.name"];
    assert.ok(shortened.length <= 63 && /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(shortened), shortened);
  });
});
