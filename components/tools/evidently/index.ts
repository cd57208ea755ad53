import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../shared/context";
import { createGeneratedSecret } from "../shared/generated-secret";
import type { ExposedService } from "../shared/ingress";
import { createServingRole, exposeModelServer } from "../shared/model-server";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { resourcesWithDefaults } from "../shared/params";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import { servingOutputs } from "../shared/serving-outputs";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { clientInstall, sendReportSnippet } from "./client";
import { evidentlyParams, type EvidentlyParams } from "./params";

/**
 * The newest evidently release read at its source (evidentlyai/evidently tag v0.7.21). Its release
 * workflow (.github/workflows/release.yml, on tags v**) builds docker/Dockerfile.service and pushes
 * `evidently/evidently-service:<tag without the v>`: the image runs `evidently ui --host 0.0.0.0`.
 */
export const EVIDENTLY_VERSION = "0.7.21";
export const EVIDENTLY_IMAGE = `evidently/evidently-service:${EVIDENTLY_VERSION}`;
/** The namespace and the Kubernetes name of the Deployment, its Service and container. */
const APP = "evidently";
/** `evidently ui`'s default port (src/evidently/cli/ui.py). */
const PORT = 8000;
/** The local end of the port-forward: clear of lakeFS' and Triton's 8000 and FastAPI's 8010. */
export const LOCAL_PORT = 8020;
/** The image declares no user (it would run as root): an unprivileged one, owning the volume through fsGroup. */
const UID = 1000;
const WORKSPACE = "/workspace";
const SCRATCH = "/tmp";
const WORKSPACE_CLAIM = "evidently-workspace";
/** The encrypted gp3 class the cluster add-ons create (components/base/cluster-addons.ts). */
const STORAGE_CLASS = "gp3-encrypted";
export const SECRET_NAME = "evidently-secret";
/** The variable `evidently ui` reads its write secret from (src/evidently/ui/service/storage/common.py). */
export const SECRET_KEY = "EVIDENTLY_SECRET";
/** Not secret, always answered (src/evidently/ui/service/api/service.py): the probes' and the ALB's health check. */
const HEALTH_PATH = "/api/version";
/** The service account the OIDC client's SecretStore reads as when exposed behind OIDC; the server never runs as it. */
const AUTH_SERVICE_ACCOUNT = "evidently-ingress-auth";
/** The whole workspace is loaded into memory, and grows with the snapshots kept. */
const DEFAULT_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } };

/**
 * The Evidently UI service, from upstream's image: one pod with its workspace on an encrypted gp3
 * volume. The official image has no s3fs (built with the `[sql]` extra only), so an S3 workspace
 * would need packages installed at every start; and the local workspace is held in memory by each
 * server, so a second replica would never see the first one's writes. Evidently has one credential,
 * a shared secret guarding writes only: it is generated here. Reads are open, so it is never
 * exposed without the ALB's sign-in.
 */
export class Evidently extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Evidently", name, {}, opts);
    const params = evidentlyParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, APP);
    const secret = createGeneratedSecret(scope, { namespace, purpose: "secret", secretName: SECRET_NAME, generated: { [SECRET_KEY]: 40 } });
    const claim = this.createWorkspaceClaim(name, namespace, params.workspace_gb);
    this.createDeployment(name, { params, dependsOn: [secret.secret, claim] });
    this.createService(name, namespace);
    const exposed = params.expose ? this.expose(scope, namespace, params.expose) : undefined;

    const uiUrl = serviceUrl(APP, APP, PORT);
    this.outputs = stringMap({
      ...servingOutputs({ app: APP, namespace: APP, port: PORT, localPort: LOCAL_PORT, example: { method: "GET", path: HEALTH_PATH }, expose: params.expose, exposed }),
      uiUrl,
      localUiUrl: localUrl(LOCAL_PORT),
      workspace: `${WORKSPACE_CLAIM} (${params.workspace_gb} GiB gp3 volume, mounted at ${WORKSPACE})`,
      secretCommand: `kubectl -n ${APP} get secret ${SECRET_NAME} -o jsonpath='{.data.${SECRET_KEY}}' | base64 -d`,
      clientInstall: clientInstall(EVIDENTLY_VERSION),
      sendReports: sendReportSnippet("my-model"),
      sendReportsFrom:
        `pods: EVIDENTLY_URL=${uiUrl}, EVIDENTLY_SECRET from secret ${APP}/${SECRET_NAME} key ${SECRET_KEY} (secretKeyRef; copy it into the pod's namespace); ` +
        `laptops: the port-forward, EVIDENTLY_URL=${localUrl(LOCAL_PORT)} and EVIDENTLY_SECRET=$(secretCommand) — the Python client cannot pass the ALB's sign-in`,
      // The volume goes with the stack (gp3-encrypted reclaims Delete): `platinfra destroy` prints this first.
      beforeDestroy: `the workspace (projects, snapshots) is deleted with the stack; to keep it: kubectl -n ${APP} exec deploy/${APP} -- tar cf - -C ${WORKSPACE} . > evidently-workspace.tar`,
    });
    this.env = stringMap({ EVIDENTLY_URL: uiUrl });
    this.secretEnv = pulumi.all({ [SECRET_KEY]: secret.values[SECRET_KEY] });
    this.localAccess = { namespace: APP, service: APP, ports: [{ local: LOCAL_PORT, remote: PORT }], env: { EVIDENTLY_URL: localUrl(LOCAL_PORT) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  private createWorkspaceClaim(name: string, namespace: ToolNamespace, sizeGb: number): k8s.core.v1.PersistentVolumeClaim {
    return new k8s.core.v1.PersistentVolumeClaim(
      `${name}-workspace`,
      {
        // The volume binds only once the pod is scheduled (WaitForFirstConsumer): Pulumi must not wait for it here.
        metadata: { name: WORKSPACE_CLAIM, namespace: APP, annotations: { "pulumi.com/skipAwait": "true" } },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: STORAGE_CLASS, resources: { requests: { storage: `${sizeGb}Gi` } } },
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  /**
   * One replica, replaced by Recreate: the volume attaches to one node at a time, and each server
   * keeps the workspace in memory (storage/local/__init__.py: InMemoryDataStorage over LocalState).
   */
  private createDeployment(name: string, args: { params: EvidentlyParams; dependsOn: pulumi.Resource[] }): k8s.apps.v1.Deployment {
    const labels = { "app.kubernetes.io/name": APP, "app.kubernetes.io/managed-by": "platinfra" };
    return new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: APP, namespace: APP, labels },
        spec: {
          replicas: 1,
          strategy: { type: "Recreate" },
          selector: { matchLabels: { "app.kubernetes.io/name": APP } },
          template: { metadata: { labels }, spec: serverPod(args.params) },
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
  }

  private createService(name: string, namespace: ToolNamespace): k8s.core.v1.Service {
    return new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: APP, namespace: APP },
        spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": APP }, ports: [{ name: "http", port: PORT, targetPort: "http" }] },
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  /** On the stack's shared ALB behind its sign-in; the role only reads the OIDC client secret (none for jwt and cognito). */
  private expose(scope: ToolScope, namespace: ToolNamespace, expose: NonNullable<EvidentlyParams["expose"]>): ExposedService {
    const role = createServingRole(scope, { namespace, serviceAccount: AUTH_SERVICE_ACCOUNT, expose });
    return exposeModelServer(scope, { app: APP, namespace, serviceAccount: AUTH_SERVICE_ACCOUNT, role, port: PORT, expose, healthCheckPath: HEALTH_PATH });
  }
}

/** `evidently ui --host 0.0.0.0` (the image's entrypoint) with the port and the workspace on the volume. */
export const SERVER_ARGS = ["--port", String(PORT), "--workspace", WORKSPACE];

function serverPod(params: EvidentlyParams): k8s.types.input.core.v1.PodSpec {
  const probe = (failureThreshold: number) => ({ httpGet: { path: HEALTH_PATH, port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold });
  return {
    // The server calls neither the Kubernetes API nor AWS.
    automountServiceAccountToken: false,
    // fsGroup: the new EBS volume is root-owned; the group makes it writable for the server's user.
    securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: APP,
        image: EVIDENTLY_IMAGE,
        args: SERVER_ARGS,
        env: [
          { name: SECRET_KEY, valueFrom: { secretKeyRef: { name: SECRET_NAME, key: SECRET_KEY } } },
          // Evidently otherwise posts usage events (src/evidently/ui/service/components/telemetry.py).
          { name: "DO_NOT_TRACK", value: "1" },
          { name: "HOME", value: SCRATCH },
          { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
        ],
        ports: [{ name: "http", containerPort: PORT }],
        // Loading a large workspace into memory takes a while: 5 minutes before liveness counts.
        startupProbe: probe(30),
        readinessProbe: probe(3),
        livenessProbe: probe(6),
        resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        volumeMounts: [
          { name: "workspace", mountPath: WORKSPACE },
          { name: "scratch", mountPath: SCRATCH },
        ],
      },
    ],
    volumes: [
      { name: "workspace", persistentVolumeClaim: { claimName: WORKSPACE_CLAIM } },
      { name: "scratch", emptyDir: {} },
    ],
  };
}

export const evidently: ToolComponentModule = {
  links: [],
  create: (name, context) => new Evidently(name, context, toolComponentOptions(context)),
};
