import * as k8s from "@pulumi/kubernetes";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import { createImageRepository } from "../../base/image-repository";
import { awsName, NAME_LIMITS } from "../../base/naming";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { serviceUrl, stringMap } from "../shared/outputs";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { PIPELINES, serviceHostname, zenmlCommands } from "./commands";
import { zenmlParams } from "./params";
import { NAMESPACE, SERVICE_ACCOUNT, RELEASE, PORT, DB_SECRET, SERVER_SECRET, ZENML_ADMIN_USERNAME, KEEP_IMAGES, zenmlValues } from "./values";

/**
 * The ZenML server (pipelining): MySQL on RDS (ZenML's server database; the password synced from
 * Secrets Manager, never in state or values), an S3 artifact store reached through IRSA, and a
 * namespace with its own IRSA service account where the Kubernetes orchestrator runs pipelines.
 * ZenML's own login is always on, in-cluster or exposed: the chart's default auth scheme.
 */
export class Zenml extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Zenml", name, {}, opts);
    const params = zenmlParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const serverUrl = params.expose ? `https://${params.expose.host}` : serviceUrl(RELEASE, NAMESPACE, PORT);

    const namespace = createNamespace(scope, NAMESPACE);
    const artifacts = createToolBucket(scope, "artifacts");
    const database = createToolDatabase(scope, { engine: "mysql", databaseName: "zenml", settings: params.database });
    const role = this.createServerRole(scope, namespace, artifacts, database);
    const credentials = syncDatabaseSecret(scope, { namespace, serviceAccount: SERVICE_ACCOUNT, database, secretName: DB_SECRET, dependsOn: [role] });
    const server = this.createServerSecret(scope, namespace);
    const release = helmRelease(
      name,
      { chart: CHARTS.zenml, releaseName: RELEASE, namespace: NAMESPACE, values: zenmlValues({ params, database, serverUrl, podAnnotations: credentials.podAnnotations }) },
      { parent: this, dependsOn: [namespace.resource, role, credentials.externalSecret, server.secret] },
    );
    const exposed = params.expose ? createIngress(scope, { namespace, serviceName: RELEASE, port: PORT, expose: params.expose, healthCheckPath: "/health", dependsOn: [release] }) : undefined;
    this.createPipelineRuntime(name, context, artifacts);
    const images = this.createImageRepository(scope);

    const artifactStore = pulumi.interpolate`s3://${artifacts.name}`;
    const mlflowEnv = context.peers.get("mlflow")?.env;
    const { accountId, region } = context.platform;
    const registryHost = `${accountId}.dkr.ecr.${region}.amazonaws.com`;
    const inCluster = params.expose ? undefined : { namespace: NAMESPACE, service: RELEASE };
    this.dataBuckets = [{ name: artifacts.name, arn: artifacts.arn }];
    this.outputs = pulumi.output({
      serverUrl,
      // In-cluster only, a laptop reaches the server at this same URL: /etc/hosts and `kubectl port-forward` (see commands).
      ...(inCluster ? { localUrl: serverUrl } : {}),
      adminUsername: ZENML_ADMIN_USERNAME,
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      artifactStore,
      imageRepository: images.repositoryUrl,
      databaseEndpoint: database.endpoint,
      pipelinesNamespace: PIPELINES.namespace,
      commands: pulumi
        .all([artifactStore, context.platform.cluster.name, images.name, mlflowEnv ?? pulumi.output(undefined)])
        .apply(([store, cluster, repository, mlflow]) =>
          zenmlCommands({ serverUrl, inCluster, artifactStore: store, cluster, region, registry: { host: registryHost, repository }, mlflow }),
        ),
    });
    this.env = pulumi.output<Record<string, string>>({ ZENML_STORE_URL: serverUrl });
    this.secretEnv = pulumi.secret(stringMap({ ZENML_ADMIN_PASSWORD: server.values["admin-password"] }));
    // Pods get the URL the client logged in at: the laptop uses the in-cluster one, its hostname mapped to the forward.
    if (inCluster) {
      this.localAccess = { namespace: NAMESPACE, service: RELEASE, ports: [{ local: PORT, remote: PORT }], env: { ZENML_STORE_URL: serverUrl }, hosts: [serviceHostname(RELEASE, NAMESPACE)] };
    }
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * Where pipeline images go: the Kubernetes orchestrator runs every step from an image. Tags are
   * mutable because ZenML re-pushes `<pipeline>-…` tags on every build (runs refer to the digest).
   * Nodes pull through their role's ECR read-only policy.
   */
  private createImageRepository(scope: ToolScope): aws.ecr.Repository {
    const { platform } = scope.context;
    return createImageRepository(
      `${scope.name}-images`,
      { repositoryName: awsName([platform.namePrefix, scope.name], NAME_LIMITS.ecrRepository), forceDelete: platform.deployment.forceDestroyBuckets, keepImages: KEEP_IMAGES, mutableTags: true },
      { parent: this },
    );
  }

  /**
   * The admin password the server is activated with (no first visitor can claim it) and the key
   * encrypting the SQL secrets store: generated, Pulumi secrets, given to the server only through
   * secretKeyRef — never Helm values, which Helm keeps in its release record.
   */
  private createServerSecret(scope: ToolScope, namespace: ToolNamespace) {
    return createGeneratedSecret(scope, {
      namespace,
      purpose: "server-credentials",
      secretName: SERVER_SECRET,
      generated: { "admin-password": 32, "encryption-key": 64 },
      plain: { "auto-activate": "True", "admin-username": ZENML_ADMIN_USERNAME },
    });
  }

  /**
   * The server reads and writes artifacts (visualizations, metadata) and reads its database secret.
   * Platinfra creates the service account, not the chart: the chart's database migration is a
   * pre-install hook needing the synced password, whose sync authenticates as this very account —
   * a chart-created one would only appear after the hook, and the first install would deadlock.
   */
  private createServerRole(scope: ToolScope, namespace: ToolNamespace, artifacts: Bucket, database: Database): ServiceAccountRole {
    return createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: [...bucketStatements([artifacts.arn], "readwrite", "Artifacts"), secretReadStatement(database.masterUserSecretArn)],
    });
  }

  /**
   * The orchestrator's namespace and its service account: pipeline pods read and write the artifact
   * store through IRSA, and the orchestrator pod (same account) may start step pods there ("edit",
   * in that namespace only — what ZenML would otherwise grant an account it creates itself).
   */
  private createPipelineRuntime(name: string, context: ToolContext, artifacts: Bucket): void {
    const scope: ToolScope = { name: `${name}-pipelines`, context, parent: this };
    const namespace = createNamespace(scope, PIPELINES.namespace);
    createToolRole(scope, { namespace, serviceAccount: PIPELINES.serviceAccount, statements: bucketStatements([artifacts.arn], "readwrite", "Artifacts") });
    new k8s.rbac.v1.RoleBinding(
      `${scope.name}-edit`,
      {
        metadata: { name: PIPELINES.serviceAccount, namespace: PIPELINES.namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
        subjects: [{ kind: "ServiceAccount", name: PIPELINES.serviceAccount, namespace: PIPELINES.namespace }],
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }
}

export const zenml: ToolComponentModule = {
  links: ["mlflow"],
  create: (name, context) => new Zenml(name, context, toolComponentOptions(context)),
};
