import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Database, type DatabaseEngine } from "../../base/database";
import { awsName, NAME_LIMITS } from "../../base/naming";
import type { PolicyStatement } from "../../base/policies";
import { reloadOnSecretChange } from "../../base/reloader";
import type { ToolNamespace } from "./namespace";
import type { DatabaseSettings } from "./params";
import type { ToolScope } from "./scope";
import { createSecretStore, secretStoreName } from "./secret-store";

/**
 * The tool's own database in the isolated subnets, reachable only from the cluster's nodes and pods,
 * sized by the tool's `database` params (`databaseSchema`).
 */
export function createToolDatabase(
  scope: ToolScope,
  options: { engine: DatabaseEngine; databaseName: string; settings: DatabaseSettings; parameters?: Record<string, string> },
): Database {
  const { platform } = scope.context;
  return new Database(
    `${scope.name}-db`,
    {
      identifier: awsName([platform.namePrefix, scope.name], NAME_LIMITS.rdsIdentifier),
      engine: options.engine,
      databaseName: options.databaseName,
      instanceClass: options.settings.instance_class,
      allocatedStorage: options.settings.storage_gb,
      ...(options.parameters ? { parameters: options.parameters } : {}),
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

/** Reading exactly one secret of Secrets Manager (e.g. the RDS-managed database password). */
export function secretReadStatement(secretArn: pulumi.Input<string>, sid = "DatabaseSecret"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [secretArn] };
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
  options: {
    namespace: ToolNamespace;
    serviceAccount: string;
    database: Database;
    secretName: string;
    dependsOn: pulumi.Resource[];
    /**
     * More keys of the Secret, rendered by External Secrets from the synced `.username` and
     * `.password` (Go templates, e.g. `postgresUrlTemplate`): for tools that read a whole connection
     * URL, which then never exists outside the cluster either. @default none
     */
    template?: Record<string, pulumi.Input<string>>;
  },
): SyncedSecret {
  scope.context.platform.reloader();
  const store = createSecretStore(scope, { namespace: options.namespace, serviceAccount: options.serviceAccount, dependsOn: options.dependsOn });
  const externalSecret = new k8s.apiextensions.CustomResource(
    `${scope.name}-db-credentials`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: options.secretName, namespace: options.namespace.name },
      spec: {
        refreshInterval: DATABASE_SECRET_REFRESH,
        secretStoreRef: { name: secretStoreName(scope), kind: "SecretStore" },
        target: {
          name: options.secretName,
          creationPolicy: "Owner",
          // Merge: the templated keys join `username` and `password` instead of replacing them.
          ...(options.template ? { template: { engineVersion: "v2", mergePolicy: "Merge", data: options.template } } : {}),
        },
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

/**
 * The database's URL for `syncDatabaseSecret`'s `template`: `<scheme>://user:password@host:port/db`
 * with the credentials filled in by External Secrets, URL-escaped (RDS-generated passwords hold
 * characters such as `%`, `#` or `:`). `query` is appended as given (e.g. `?sslmode=require`).
 */
export function databaseUrlTemplate(database: Database, scheme: string, query = ""): pulumi.Output<string> {
  return pulumi.interpolate`${scheme}://{{ .username | urlquery }}:{{ .password | urlquery }}@${database.address}:${database.port}/${database.databaseName}${query}`;
}
