import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Bucket } from "../base/bucket";
import { Database, type DatabaseEngine } from "../base/database";
import { awsName, NAME_LIMITS } from "../base/naming";
import { GPU_LABEL, GPU_TAINT } from "../base/node-groups";
import type { NodeGroupSpec } from "../../src/spec/types";
import type { PolicyStatement } from "../base/policies";
import { reloadOnSecretChange } from "../base/reloader";
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

/** A Kubernetes Secret of generated values, and those values as Pulumi secrets. */
export interface GeneratedSecret {
  secret: k8s.core.v1.Secret;
  values: Record<string, pulumi.Output<string>>;
}

/**
 * A Kubernetes Secret `secretName` holding `plain` values and, per key of `generated`, a random
 * alphanumeric string of that length (safe in URLs, INI files and shell). The generated values are
 * Pulumi secrets (encrypted in state) and reach pods only through secretKeyRef, never Helm values.
 * Generated once: later runs keep them.
 */
export function createGeneratedSecret(
  scope: ToolScope,
  options: { namespace: ToolNamespace; purpose: string; secretName: string; generated: Record<string, number>; plain?: Record<string, string> },
): GeneratedSecret {
  const values = Object.fromEntries(
    Object.entries(options.generated).map(([key, length]) => {
      const password = new random.RandomPassword(`${scope.name}-${options.purpose}-${key}`, { length, special: false }, { parent: scope.parent });
      return [key, pulumi.secret(password.result)];
    }),
  );
  const secret = new k8s.core.v1.Secret(
    `${scope.name}-${options.purpose}`,
    { metadata: { name: options.secretName, namespace: options.namespace.name }, stringData: { ...options.plain, ...values } },
    { parent: scope.parent, dependsOn: [options.namespace.resource] },
  );
  return { secret, values };
}

/** How often External Secrets re-reads a rotated RDS password: the longest a rotation goes unseen. */
export const DATABASE_SECRET_REFRESH = "5m";

/** A database Secret synced into the tool's namespace, and what its workloads need to follow it. */
export interface SyncedSecret {
  /** The ExternalSecret: releases reading the Secret wait for it. */
  externalSecret: k8s.apiextensions.CustomResource;
  /** Pod annotations for every workload reading the Secret: Reloader rolls them when it changes. */
  podAnnotations: Record<string, string>;
}

/**
 * The database's RDS-managed credentials synced into a Kubernetes Secret (`username`, `password`)
 * by the External Secrets Operator, authenticating as the tool's own service account: the password
 * is never written to Pulumi state, logs or a manifest. RDS rotates it every 7 days and the tools
 * read it at start only: the Secret is refreshed every few minutes, and Reloader (installed here on
 * first use) rolls every workload carrying `podAnnotations`, so a rotation heals itself.
 */
export function syncDatabaseSecret(
  scope: ToolScope,
  options: { namespace: ToolNamespace; serviceAccount: string; database: Database; secretName: string; dependsOn: pulumi.Resource[] },
): SyncedSecret {
  const { platform } = scope.context;
  platform.reloader();
  const store = new k8s.apiextensions.CustomResource(
    `${scope.name}-secret-store`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: `${scope.name}-aws`, namespace: options.namespace.name },
      spec: {
        provider: {
          aws: { service: "SecretsManager", region: platform.region, auth: { jwt: { serviceAccountRef: { name: options.serviceAccount } } } },
        },
      },
    },
    { parent: scope.parent, dependsOn: [...platform.externalSecretsReady(), options.namespace.resource, ...options.dependsOn] },
  );
  const externalSecret = new k8s.apiextensions.CustomResource(
    `${scope.name}-db-credentials`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: options.secretName, namespace: options.namespace.name },
      spec: {
        refreshInterval: DATABASE_SECRET_REFRESH,
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
  return { externalSecret, podAnnotations: reloadOnSecretChange([options.secretName]) };
}

/** What a tool exposes: its Service and port, the spec's host and certificate, the health check path. */
interface IngressOptions {
  namespace: ToolNamespace;
  serviceName: pulumi.Input<string>;
  port: number;
  expose: Expose;
  healthCheckPath?: string;
  dependsOn?: pulumi.Resource[];
}

/** An exposed service: its Ingress, the ALB's DNS name, and the Route 53 record when the spec names a zone. */
export interface ExposedService {
  ingress: k8s.networking.v1.Ingress;
  /** The ALB's DNS name, as the controller writes it into the Ingress status. */
  loadBalancerHostname: pulumi.Output<string>;
  record?: aws.route53.Record;
}

/**
 * The IngressGroup of a stack: every exposed tool of the stack shares one ALB (one hourly charge,
 * one DNS target), each with its own host rule and certificate. The controller wants lowercase
 * letters, digits, "-" and ".", at most 63 characters.
 */
export function loadBalancerGroup(context: ToolContext): string {
  return awsName([context.platform.namePrefix], NAME_LIMITS.ingressGroup);
}

/**
 * An HTTPS-only internet-facing ALB for a service (AWS Load Balancer Controller): one 443 listener
 * with the given ACM certificate and a modern TLS policy, no plain HTTP listener at all, shared
 * with the stack's other exposed tools; and, when the spec names a hosted zone, an alias record
 * for the host.
 */
export function createIngress(
  scope: ToolScope,
  options: IngressOptions,
): ExposedService {
  const ingress = createIngressResource(scope, options);
  // Pulumi waits for the Ingress until the controller has written the ALB into its status.
  const loadBalancerHostname = ingress.status.apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname ?? "");
  const dns = scope.context.platform.deployment.dns;
  const record = dns ? createAliasRecord(scope, { zoneId: dns.hostedZoneId, host: options.expose.host, target: loadBalancerHostname }) : undefined;
  return { ingress, loadBalancerHostname, ...(record ? { record } : {}) };
}

/**
 * `host` → the ALB, as a Route 53 alias (no charge per query, follows the ALB's addresses). The
 * alias needs the zone AWS keeps for ALBs in the region (getHostedZoneId: a fixed value per
 * region), so nothing waits on looking the ALB up by its tags.
 */
function createAliasRecord(scope: ToolScope, args: { zoneId: string; host: string; target: pulumi.Output<string> }): aws.route53.Record {
  const albZone = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "application" }, { parent: scope.parent });
  return new aws.route53.Record(
    `${scope.name}-dns`,
    { zoneId: args.zoneId, name: args.host, type: "A", aliases: [{ name: args.target, zoneId: albZone.id, evaluateTargetHealth: true }] },
    { parent: scope.parent },
  );
}

function createIngressResource(
  scope: ToolScope,
  options: IngressOptions,
): k8s.networking.v1.Ingress {
  return new k8s.networking.v1.Ingress(
    `${scope.name}-ingress`,
    {
      metadata: {
        name: scope.name,
        namespace: options.namespace.name,
        annotations: {
          "alb.ingress.kubernetes.io/group.name": loadBalancerGroup(scope.context),
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

type Toleration = { key: string; operator: "Exists" | "Equal"; value?: string; effect: string };

/** Node placement for a workload: on GPU nodes (label and tolerations) when it asks and they exist. */
export function placement(context: ToolContext, wantsGpu: boolean): { nodeSelector?: Record<string, string>; tolerations?: Toleration[] } {
  if (!wantsGpu || !context.platform.gpu) return {};
  return { nodeSelector: { [GPU_LABEL]: "true" }, tolerations: gpuTolerations(context.platform.deployment.nodeGroups) };
}

/**
 * What a pod needs to tolerate to run on the GPU nodes its selector picks: the GPU taint, and each
 * GPU group's own taints from the spec (`dedicated=ml:NoSchedule`…), which would otherwise keep
 * every GPU workload off those nodes.
 */
export function gpuTolerations(groups: NodeGroupSpec[]): Toleration[] {
  const tolerations: Toleration[] = [{ key: GPU_TAINT.key, operator: "Exists", effect: "NoSchedule" }];
  for (const taint of groups.filter((group) => group.gpu).flatMap((group) => group.taints)) {
    const toleration: Toleration = taint.value === undefined ? { key: taint.key, operator: "Exists", effect: taint.effect } : { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect };
    if (!tolerations.some((known) => JSON.stringify(known) === JSON.stringify(toleration))) tolerations.push(toleration);
  }
  return tolerations;
}

/** The URL of a port forwarded to this machine (`kubectl port-forward`). */
export function localUrl(port: number, scheme = "http"): string {
  return `${scheme}://localhost:${port}`;
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
