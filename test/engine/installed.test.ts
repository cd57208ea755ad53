import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { detectInstalled, kubeGetter, type KubeGet } from "../../src/engine/installed";
import { preflight } from "../../src/engine/preflight";
import { FAKE_BIN, isolatedPath } from "../helpers/environment";
import { ofType, renderSpec } from "../helpers/render";
import { specOf, stackFile } from "../helpers/spec-text";

const ESO = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/externalsecrets.external-secrets.io";
const LBC = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/targetgroupbindings.elbv2.k8s.aws";
const crd = (...versions: string[]) => ({ status: 200, body: { spec: { versions: versions.map((name) => ({ name, served: true })) } } });
/** A test double of the API server: answers the given paths, 404 for the rest. */
const fakeApi = (answers: Record<string, { status: number; body: unknown }>): KubeGet => async (path) => answers[path] ?? { status: 404, body: { kind: "Status", code: 404 } };

const EXISTING = (tools: string) => stackFile({ name: "shared", deployment: ["existing_cluster: {name: platform-prod}"], stack: tools });
const MLFLOW_EXPOSED = `  experiment_tracker:
    - mlflow:
        expose: {host: mlflow.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"}`;

describe("controllers an existing cluster already runs", () => {
  it("reads the CRDs over the API server with the bearer token (a local stand-in server)", async () => {
    const seen: string[] = [];
    const server = http.createServer((request, response) => {
      seen.push(`${request.headers.authorization} ${request.url}`);
      const answer = request.url === ESO ? crd("v1beta1", "v1") : request.url === LBC ? crd("v1") : undefined;
      response.writeHead(answer ? 200 : 404, { "Content-Type": "application/json" });
      response.end(JSON.stringify(answer?.body ?? { kind: "Status", code: 404 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const detection = await detectInstalled(kubeGetter(`http://127.0.0.1:${port}`, "", "token-1"));
      assert.deepEqual(detection, { installed: { externalSecrets: true, loadBalancerController: true, karpenter: false }, problems: [] });
      assert.deepEqual(seen, [
        `Bearer token-1 ${ESO}`,
        `Bearer token-1 ${LBC}`,
        "Bearer token-1 /apis/apiextensions.k8s.io/v1/customresourcedefinitions/nodepools.karpenter.sh",
      ]);
    } finally {
      server.close();
    }
  });

  it("an operator without the external-secrets.io/v1 API is a problem, not a match", async () => {
    assert.deepEqual(await detectInstalled(fakeApi({ [ESO]: crd("v1beta1") })), {
      installed: { externalSecrets: false, loadBalancerController: false, karpenter: false },
      problems: [
        "the cluster runs an External Secrets Operator without the external-secrets.io/v1 API platinfra's SecretStores use — upgrade it to 0.16 or later (or uninstall it and let platinfra install its own)",
      ],
    });
  });

  describe("preflight with existing_cluster (fake aws CLI and API server: test doubles)", () => {
    const env: NodeJS.ProcessEnv = { PATH: isolatedPath(FAKE_BIN.aws) };
    it("finds what runs, asking EKS for the endpoint and a token", async () => {
      const tokens: string[] = [];
      const connect = (endpoint: string, _ca: string, token: string) => {
        tokens.push(`${endpoint} ${token}`);
        return fakeApi({ [ESO]: crd("v1"), [LBC]: crd("v1") });
      };
      const result = await preflight(specOf(EXISTING(MLFLOW_EXPOSED), { allDeployable: true }), env, undefined, { connect });
      assert.deepEqual(result.installed, { externalSecrets: true, loadBalancerController: true, karpenter: false });
      assert.deepEqual(tokens, ["https://fake-cluster.eks.example k8s-aws-v1.fake-token-for-platform-prod"]);
    });

    it("an exposed tool on a cluster without the load balancer controller fails before anything is created", async () => {
      await assert.rejects(preflight(specOf(EXISTING(MLFLOW_EXPOSED), { allDeployable: true }), env, undefined, { connect: () => fakeApi({}) }), (error: Error) => {
        assert.equal(
          error.message,
          "mlflow is exposed through an ALB Ingress, but the existing cluster platform-prod runs no AWS Load Balancer Controller (no targetgroupbindings.elbv2.k8s.aws CRD) — install it in the cluster, or remove expose",
        );
        return true;
      });
    });
  });

  it("the program uses a running External Secrets Operator instead of installing a second one", async () => {
    const spec = specOf(EXISTING("  experiment_tracker: [mlflow]"), { allDeployable: true });
    const own = await renderSpec(spec);
    const theirs = await renderSpec(spec, { installed: { externalSecrets: true, loadBalancerController: false, karpenter: false } });
    assert.equal(ofType(own, "platinfra:base:ExternalSecretsOperator").length, 1);
    assert.equal(ofType(theirs, "platinfra:base:ExternalSecretsOperator").length, 0);
    assert.equal(ofType(theirs, "kubernetes:external-secrets.io/v1:SecretStore").length, 1);
    assert.equal(ofType(theirs, "kubernetes:external-secrets.io/v1:ExternalSecret").length, 1);
  });
});
