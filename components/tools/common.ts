import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Bucket } from "../base/bucket";
import { Database, type DatabaseEngine } from "../base/database";
import { awsName, NAME_LIMITS } from "../base/naming";
import { GPU_LABEL, GPU_TAINT } from "../base/node-groups";
import type { PolicyStatement } from "../base/policies";
import { ServiceAccountRole } from "../base/service-account-role";
import type { ToolContext } from "./context";
import type { DataBucket } from "./types";
import type { Expose } from "./params-common";

/**
 * The building blocks every tool component uses, so each tool file only says what is particular
 * to its tool. `scope` is the tool's component: children are parented to it and named after it.
 */
export interface ToolScope {
  /** The component's name (the tool's canonical name): children are named `${name}-…`. */
  name: string;
  context: ToolContext;
  parent: pulumi.ComponentResource;
}

/** Options for a tool component: its own AWS provider (tagged with the tool) and the cluster's. */
export function toolComponentOptions(context: ToolContext): pulumi.ComponentResourceOptions {
  const { platform, instance } = context;
  return { providers: { aws: platform.awsProviderFor(instance.name), kubernetes: platform.cluster.kubernetes } };
}

/** A tool's namespace: its name (known up front) and the resource (to wait for). */
export interface ToolNamespace {
  name: string;
  resource: k8s.core.v1.Namespace;
}

/** The tool's own namespace, created after the cluster's add-ons are ready. */
export function createNamespace(scope: ToolScope, namespace: string): ToolNamespace {
  const resource = new k8s.core.v1.Namespace(
    `${scope.name}-namespace`,
    { metadata: { name: namespace, labels: { "app.kubernetes.io/managed-by": "platinfra", "platinfra.dev/tool": scope.context.instance.name } } },
    { parent: scope.parent, dependsOn: scope.context.platform.ready },
  );
  return { name: namespace, resource };
}

/** A bucket of this stack for one purpose of the tool: protected and force-destroyed per the spec. */
export function createToolBucket(scope: ToolScope, purpose: string, options: { versioned?: boolean } = {}): Bucket {
  const { platform } = scope.context;
  return new Bucket(
    `${scope.name}-${purpose}`,
    {
      bucketName: platform.bucketName(`${scope.name}-${purpose}`),
      versioned: options.versioned ?? true,
      forceDestroy: platform.deployment.forceDestroyBuckets,
      protect: platform.deployment.deletionProtection,
    },
    { parent: scope.parent },
  );
}

/** The tool's own database in the isolated subnets, reachable only from the cluster's nodes and pods. */
export function createToolDatabase(scope: ToolScope, options: { engine: DatabaseEngine; databaseName: string; instanceClass?: string; storage?: number }): Database {
  const { platform } = scope.context;
  return new Database(
    `${scope.name}-db`,
    {
      identifier: awsName([platform.namePrefix, scope.name], NAME_LIMITS.rdsIdentifier),
      engine: options.engine,
      databaseName: options.databaseName,
      ...(options.instanceClass ? { instanceClass: options.instanceClass } : {}),
      ...(options.storage ? { allocatedStorage: options.storage } : {}),
      subnetIds: platform.network.databaseSubnetIds,
      vpcId: platform.network.vpcId,
      allowedSecurityGroupIds: [platform.cluster.securityGroupId, ...(platform.cluster.nodeSecurityGroupIds ?? [])],
      deletionProtection: platform.deployment.deletionProtection,
      engineLifecycleSupport: platform.deployment.support,
      applyImmediately: platform.deployment.databases.applyImmediately,
      finalSnapshot: platform.deployment.databases.finalSnapshot,
    },
    { parent: scope.parent },
  );
}

/** An IRSA role for the tool's service account, allowed exactly `statements`. */
export function createToolRole(
  scope: ToolScope,
  options: {
    role?: string;
    namespace: ToolNamespace;
    serviceAccount: string;
    statements: pulumi.Input<PolicyStatement[]>;
    /** Off when the tool's Helm chart creates the service account (give it the role ARN instead). @default created */
    createServiceAccount?: boolean;
  },
): ServiceAccountRole {
  const { platform } = scope.context;
  const role = options.role ?? scope.name;
  return new ServiceAccountRole(
    options.role ? `${scope.name}-${options.role}-irsa` : `${scope.name}-irsa`,
    {
      roleName: awsName([platform.namePrefix, role], NAME_LIMITS.iamRole),
      namespace: options.namespace.name,
      serviceAccountName: options.serviceAccount,
      oidcProviderArn: platform.cluster.oidcProviderArn,
      oidcProviderUrl: platform.cluster.oidcProviderUrl,
      statements: options.statements,
      serviceAccountDependsOn: [options.namespace.resource],
      createServiceAccount: options.createServiceAccount ?? true,
    },
    { parent: scope.parent },
  );
}

/** S3 access to exactly these buckets: read, or read and write (never delete the bucket itself). */
export function bucketStatements(bucketArns: pulumi.Input<string>[], access: "read" | "readwrite", sid = "Buckets"): PolicyStatement[] {
  const objectActions = access === "read" ? ["s3:GetObject", "s3:GetObjectVersion"] : ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];
  return [
    { Sid: `${sid}List`, Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: bucketArns },
    { Sid: `${sid}Objects`, Effect: "Allow", Action: objectActions, Resource: bucketArns.map((arn) => pulumi.interpolate`${arn}/*`) },
  ];
}

/** Reading exactly one secret of Secrets Manager (e.g. the RDS-managed database password). */
export function secretReadStatement(secretArn: pulumi.Input<string>, sid = "DatabaseSecret"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [secretArn] };
}

/**
 * The database's RDS-managed credentials synced into a Kubernetes Secret (`username`, `password`)
 * by the External Secrets Operator, authenticating as the tool's own service account: the password
 * is never written to Pulumi state, logs or a manifest.
 */
export function syncDatabaseSecret(
  scope: ToolScope,
  options: { namespace: ToolNamespace; serviceAccount: string; database: Database; secretName: string; dependsOn: pulumi.Resource[] },
): k8s.apiextensions.CustomResource {
  const store = new k8s.apiextensions.CustomResource(
    `${scope.name}-secret-store`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: `${scope.name}-aws`, namespace: options.namespace.name },
      spec: {
        provider: {
          aws: { service: "SecretsManager", region: scope.context.platform.region, auth: { jwt: { serviceAccountRef: { name: options.serviceAccount } } } },
        },
      },
    },
    { parent: scope.parent, dependsOn: [...scope.context.platform.externalSecretsReady(), options.namespace.resource, ...options.dependsOn] },
  );
  return new k8s.apiextensions.CustomResource(
    `${scope.name}-db-credentials`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: options.secretName, namespace: options.namespace.name },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { name: `${scope.name}-aws`, kind: "SecretStore" },
        target: { name: options.secretName, creationPolicy: "Owner" },
        data: ["username", "password"].map((key) => ({
          secretKey: key,
          remoteRef: { key: options.database.masterUserSecretArn, property: key },
        })),
      },
    },
    { parent: scope.parent, dependsOn: [store] },
  );
}

/**
 * An HTTPS-only internet-facing ALB for a service (AWS Load Balancer Controller): one 443 listener
 * with the given ACM certificate and a modern TLS policy; no plain HTTP listener at all.
 */
export function createIngress(
  scope: ToolScope,
  options: { namespace: ToolNamespace; serviceName: pulumi.Input<string>; port: number; expose: Expose; healthCheckPath?: string; dependsOn?: pulumi.Resource[] },
): k8s.networking.v1.Ingress {
  return new k8s.networking.v1.Ingress(
    `${scope.name}-ingress`,
    {
      metadata: {
        name: scope.name,
        namespace: options.namespace.name,
        annotations: {
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/target-type": "ip",
          "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
          "alb.ingress.kubernetes.io/certificate-arn": options.expose.certificate_arn,
          "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "alb.ingress.kubernetes.io/healthcheck-path": options.healthCheckPath ?? "/",
        },
      },
      spec: {
        ingressClassName: "alb",
        rules: [
          {
            host: options.expose.host,
            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: options.serviceName, port: { number: options.port } } } }] },
          },
        ],
      },
    },
    { parent: scope.parent, dependsOn: [options.namespace.resource, ...(options.dependsOn ?? [])] },
  );
}

/** Node placement for a workload: on GPU nodes (label and toleration) when it asks and they exist. */
export function placement(context: ToolContext, wantsGpu: boolean): { nodeSelector?: Record<string, string>; tolerations?: k8s.types.input.core.v1.Toleration[] } {
  if (!wantsGpu || !context.platform.gpu) return {};
  return { nodeSelector: { [GPU_LABEL]: "true" }, tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: "NoSchedule" }] };
}

/** The in-cluster URL of a service. */
export function serviceUrl(service: string, namespace: string, port: number, scheme = "http"): string {
  return `${scheme}://${service}.${namespace}.svc.cluster.local:${port}`;
}

/**
 * The data buckets of the tools this one links to, when the stack has them: a tool is granted
 * exactly its links' data, never whatever tools happen to be created before it.
 */
export function linkedDataBuckets(context: ToolContext, links: readonly string[]): DataBucket[] {
  return links.flatMap((link) => context.peers.get(link)?.dataBuckets ?? []);
}

/** A map of strings some of which are Outputs, as one Output (for `outputs`, `env`, `secretEnv`). */
export function stringMap(values: Record<string, pulumi.Input<string>>): pulumi.Output<Record<string, string>> {
  return pulumi.output(values).apply((resolved) => resolved as Record<string, string>);
}
