import { strict as assert } from "node:assert";
import { clientInstall, sendReportSnippet } from "../../components/tools/evidently/client";
import { EVIDENTLY_IMAGE, SERVER_ARGS, evidently } from "../../components/tools/evidently/index";
import { evidentlyParams } from "../../components/tools/evidently/params";
import type { RenderResult } from "../../src/engine/render";
import { paramsErrors } from "../helpers/params";
import { childrenOf, json, named, ofType } from "../helpers/render";
import { errorsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const render = (params: Record<string, unknown>) => renderWithTools(stackWith({ monitoring: ["evidently"] }), { evidently }, { evidently: evidentlyParams.parse(params) });
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Evidently::evidently");
const inputs = (result: RenderResult, name: string, type?: string) => named(result, name, type).inputs as Record<string, any>;
const pod = (result: RenderResult) => inputs(result, "evidently-deployment", "kubernetes:apps/v1:Deployment").spec.template.spec;
const server = (result: RenderResult) => pod(result).containers[0];
const outputsOf = (result: RenderResult) => (result.outputs.tools as any).evidently;
const HOST = { host: "evidently.example.com", certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123" };
const OIDC = {
  type: "oidc",
  issuer: "https://login.example.com",
  authorization_endpoint: "https://login.example.com/authorize",
  token_endpoint: "https://login.example.com/token",
  user_info_endpoint: "https://login.example.com/userinfo",
  client_id: "evidently-ui",
  client_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:evidently/oidc-AbCdEf",
};
const COGNITO = { type: "cognito", user_pool_arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC", client_id: "abc123", domain: "team-login" };

describe("evidently", () => {
  let plain: RenderResult;
  let oidc: RenderResult;
  before(async () => {
    plain = await render({});
    oidc = await render({ workspace_gb: 50, resources: { requests: { cpu: "1", memory: "2Gi" } }, expose: { ...HOST, auth: OIDC } });
  });

  it("creates exactly its namespace, secret (generated), workspace volume, Deployment and Service: no role, no bucket, no ingress", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:apps/v1:Deployment evidently-deployment",
      "kubernetes:core/v1:Namespace evidently-namespace",
      "kubernetes:core/v1:PersistentVolumeClaim evidently-workspace",
      "kubernetes:core/v1:Secret evidently-secret",
      "kubernetes:core/v1:Service evidently-service",
      "random:index/randomPassword:RandomPassword evidently-secret-EVIDENTLY_SECRET",
    ]);
    assert.equal(inputs(plain, "evidently-namespace").metadata.name, "evidently");
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("runs upstream's image 0.7.21 with its entrypoint, on port 8000 with the workspace on the volume, as one Recreate replica", () => {
    const spec = inputs(plain, "evidently-deployment").spec;
    assert.deepEqual([spec.replicas, spec.strategy], [1, { type: "Recreate" }]);
    const container = server(plain);
    assert.deepEqual([container.image, EVIDENTLY_IMAGE], ["evidently/evidently-service:0.7.21", "evidently/evidently-service:0.7.21"]);
    // The image's ENTRYPOINT is `evidently ui --host 0.0.0.0`: only arguments are added, as upstream's compose file does.
    assert.equal(container.command, undefined);
    assert.deepEqual([container.args, SERVER_ARGS], [["--port", "8000", "--workspace", "/workspace"], ["--port", "8000", "--workspace", "/workspace"]]);
    assert.deepEqual(container.ports, [{ name: "http", containerPort: 8000 }]);
    const probe = (failureThreshold: number) => ({ httpGet: { path: "/api/version", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold });
    assert.deepEqual([container.startupProbe, container.readinessProbe, container.livenessProbe], [probe(30), probe(3), probe(6)]);
    assert.deepEqual(container.resources, { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } });
  });

  it("the secret guarding writes reaches the server by secretKeyRef; telemetry is off; it runs unprivileged on a read-only root", () => {
    assert.deepEqual(server(plain).env, [
      { name: "EVIDENTLY_SECRET", valueFrom: { secretKeyRef: { name: "evidently-secret", key: "EVIDENTLY_SECRET" } } },
      { name: "DO_NOT_TRACK", value: "1" },
      { name: "HOME", value: "/tmp" },
      { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
    ]);
    const spec = pod(plain);
    assert.equal(spec.automountServiceAccountToken, false);
    assert.equal(spec.serviceAccountName, undefined);
    assert.deepEqual(spec.securityContext, { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } });
    assert.deepEqual(server(plain).securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    assert.deepEqual(server(plain).volumeMounts, [
      { name: "workspace", mountPath: "/workspace" },
      { name: "scratch", mountPath: "/tmp" },
    ]);
    assert.deepEqual(spec.volumes, [
      { name: "workspace", persistentVolumeClaim: { claimName: "evidently-workspace" } },
      { name: "scratch", emptyDir: {} },
    ]);
    assert.deepEqual([spec.nodeSelector, spec.tolerations], [undefined, undefined], "CPU only: the system nodes");
  });

  it("the secret: 40 random characters, a Pulumi secret, in the Kubernetes Secret only; the Deployment waits for it and the volume", () => {
    const generated = inputs(plain, "evidently-secret-EVIDENTLY_SECRET", "random:index/randomPassword:RandomPassword");
    assert.deepEqual([generated.length, generated.special], [40, false]);
    const secret = inputs(plain, "evidently-secret", "kubernetes:core/v1:Secret");
    assert.deepEqual(secret.metadata, { name: "evidently-secret", namespace: "evidently" });
    assert.equal(secret.stringData, "[secret]");
    assert.equal(plain.outputs.secretEnv, "[secret]");
    assert.doesNotMatch(JSON.stringify(plain.outputs.tools), /\[secret\]/);
    const deployment = named(plain, "evidently-deployment");
    for (const dependency of ["evidently-secret", "evidently-workspace"]) assert.ok(deployment.dependencies?.includes(named(plain, dependency, dependency === "evidently-secret" ? "kubernetes:core/v1:Secret" : undefined).urn), dependency);
  });

  it("the workspace: an encrypted gp3 claim of workspace_gb, not awaited (it binds when the pod is scheduled)", () => {
    assert.deepEqual(inputs(plain, "evidently-workspace"), {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "evidently-workspace", namespace: "evidently", annotations: { "pulumi.com/skipAwait": "true" } },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3-encrypted", resources: { requests: { storage: "20Gi" } } },
    });
    assert.equal(inputs(oidc, "evidently-workspace").spec.resources.requests.storage, "50Gi");
    assert.deepEqual(server(oidc).resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } });
  });

  it("the Service: ClusterIP on 8000", () => {
    assert.deepEqual(inputs(plain, "evidently-service").spec, { type: "ClusterIP", selector: { "app.kubernetes.io/name": "evidently" }, ports: [{ name: "http", port: 8000, targetPort: "http" }] });
  });

  it("outputs: the UI in the cluster and through the port-forward, the secret's command, and a report upload with this stack's names", () => {
    assert.deepEqual(outputsOf(plain), {
      endpoint: "http://evidently.evidently.svc.cluster.local:8000",
      exampleRequest: "curl -X GET http://evidently.evidently.svc.cluster.local:8000/api/version",
      portForward: "kubectl -n evidently port-forward svc/evidently 8020:8000",
      uiUrl: "http://evidently.evidently.svc.cluster.local:8000",
      localUiUrl: "http://localhost:8020",
      workspace: "evidently-workspace (20 GiB gp3 volume, mounted at /workspace)",
      secretCommand: "kubectl -n evidently get secret evidently-secret -o jsonpath='{.data.EVIDENTLY_SECRET}' | base64 -d",
      clientInstall: "pip install evidently==0.7.21",
      sendReports: sendReportSnippet("my-model"),
      sendReportsFrom:
        "pods: EVIDENTLY_URL=http://evidently.evidently.svc.cluster.local:8000, EVIDENTLY_SECRET from secret evidently/evidently-secret key EVIDENTLY_SECRET (secretKeyRef; copy it into the pod's namespace); " +
        "laptops: the port-forward, EVIDENTLY_URL=http://localhost:8020 and EVIDENTLY_SECRET=$(secretCommand) — the Python client cannot pass the ALB's sign-in",
      beforeDestroy: "the workspace (projects, snapshots) is deleted with the stack; to keep it: kubectl -n evidently exec deploy/evidently -- tar cf - -C /workspace . > evidently-workspace.tar",
    });
    assert.deepEqual(plain.outputs.env, { EVIDENTLY_URL: "http://evidently.evidently.svc.cluster.local:8000" });
    assert.deepEqual((plain.outputs.local as any).evidently, { namespace: "evidently", service: "evidently", ports: [{ local: 8020, remote: 8000 }], env: { EVIDENTLY_URL: "http://localhost:8020" } });
  });

  it("the upload script uses evidently 0.7.21's client API, the URL and secret from the environment", () => {
    assert.equal(clientInstall("0.7.21"), "pip install evidently==0.7.21");
    assert.equal(
      sendReportSnippet("churn"),
      `import os
import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset
from evidently.ui.workspace import RemoteWorkspace

# The secret guards writes (sent as the evidently-secret header); reads need none.
ws = RemoteWorkspace(os.environ["EVIDENTLY_URL"], secret=os.environ["EVIDENTLY_SECRET"])
found = ws.search_project("churn")
project = found[0] if found else ws.create_project("churn")
reference = pd.read_parquet("reference.parquet")
current = pd.read_parquet("current.parquet")
run = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
ws.add_run(project.id, run, include_data=False)
`,
    );
  });

  it("expose with OIDC: the shared ALB's sign-in before the UI, the client synced for the ALB by a service account the server never runs as", () => {
    assert.deepEqual(children(oidc).filter((child) => !children(plain).includes(child)), [
      "kubernetes:external-secrets.io/v1:ExternalSecret evidently-oidc-client",
      "kubernetes:external-secrets.io/v1:SecretStore evidently-secret-store",
      "kubernetes:networking.k8s.io/v1:Ingress evidently-ingress",
      "platinfra:base:ServiceAccountRole evidently-irsa",
    ]);
    const ingress = inputs(oidc, "evidently-ingress");
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/auth-type"], "oidc");
    assert.equal(JSON.parse(ingress.metadata.annotations["alb.ingress.kubernetes.io/auth-idp-oidc"]).secretName, "evidently-oidc-client");
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/api/version");
    assert.deepEqual(ingress.spec.rules, [{ host: "evidently.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "evidently", port: { number: 8000 } } } }] } }]);
    assert.deepEqual(inputs(oidc, "evidently-secret-store").spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "evidently-ingress-auth" } } });
    const trusted = Object.values(json(inputs(oidc, "evidently-irsa", "aws:iam/role:Role").assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    assert.deepEqual(trusted, ["sts.amazonaws.com", "system:serviceaccount:evidently:evidently-ingress-auth"]);
    assert.deepEqual(json(inputs(oidc, "evidently-irsa-policy").policy).Statement, [
      { Sid: "OidcClientSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [OIDC.client_secret_arn] },
    ]);
    assert.equal(pod(oidc).serviceAccountName, undefined, "the server pod keeps no AWS identity");
    assert.equal(outputsOf(oidc).externalUrl, "https://evidently.example.com");
    assert.match(outputsOf(oidc).externalAccess, /^https:\/\/evidently\.example\.com signs in through ALB oidc \(a browser flow/);
  });

  it("expose with Cognito: the sign-in annotations, no synced client and a role without a policy", async () => {
    const result = await render({ expose: { ...HOST, auth: COGNITO } });
    const annotations = inputs(result, "evidently-ingress").metadata.annotations;
    assert.equal(annotations["alb.ingress.kubernetes.io/auth-type"], "cognito");
    assert.equal(ofType(result, "kubernetes:external-secrets.io/v1:ExternalSecret").length, 0);
    assert.equal(ofType(result, "aws:iam/rolePolicy:RolePolicy").some((policy) => policy.name.startsWith("evidently")), false);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(evidentlyParams.parse({}), { workspace_gb: 20 });
    assert.deepEqual(paramsErrors(evidentlyParams, { workspace_gb: 0, replicas: 2 }), ["workspace_gb: Too small: expected number to be >=1", ': Unrecognized key: "replicas"']);
  });

  it("validate refuses expose without auth, at its position, saying how to fix it", () => {
    const file = stackWith({ monitoring: ['{evidently: {expose: {host: evidently.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}}}'] });
    assert.deepEqual(errorsOf(file), [
      "stack.yaml:9:37: stack.monitoring[0].evidently.expose.auth: evidently has no authentication of its own, so expose needs auth — add auth: {type: jwt, issuer: …, jwks_endpoint: …, claims: […]} (scripts and services sending a bearer token), " +
        "auth: {type: oidc, issuer: …, authorization_endpoint: …, token_endpoint: …, user_info_endpoint: …, client_id: …, client_secret_arn: …} or auth: {type: cognito, user_pool_arn: …, client_id: …, domain: …} (browser sign-in); " +
        "or remove expose and reach it in the cluster or through kubectl port-forward",
    ]);
  });
});
