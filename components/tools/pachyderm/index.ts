import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import type { ToolContext } from "../shared/context";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { serviceUrl, stringMap } from "../shared/outputs";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { LocalAccess, PodEnv, ToolComponent, ToolComponentModule } from "../shared/types";
import { pachctlContext, pachdAddress, pachydermCommands, portForwards } from "./commands";
import { pachydermParams } from "./params";
import { createDatabaseSetupJob } from "./setup";
import {
  CONSOLE_PORT,
  CONSOLE_SERVICE,
  CREDENTIAL_KEYS,
  CREDENTIALS_SECRET,
  DATABASE,
  DATABASE_SERVICE_ACCOUNT,
  MASTER_SECRET,
  NAMESPACE,
  PACHD_PORT,
  PACHD_SERVICE,
  PACHD_SERVICE_ACCOUNT,
  pachydermValues,
  RELEASE,
  storageUrl,
  WORKER_SERVICE_ACCOUNT,
} from "./values";

/**
 * Pachyderm 2.11.6 (community edition): pachd, its etcd, pgbouncer and the console, with
 * PostgreSQL on RDS (a role of its own, made at deploy time) and S3 object storage reached through
 * IRSA by pachd and by the pipeline workers it starts. Auth is an Enterprise feature, so it stays
 * inside the cluster: pachctl and the console reach it through port-forwards.
 */
export class Pachyderm extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly podEnv: PodEnv;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Pachyderm", name, {}, opts);
    const params = pachydermParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const { region, namePrefix } = context.platform;

    const namespace = createNamespace(scope, NAMESPACE);
    // Unversioned: Pachyderm versions data itself and garbage-collects unreferenced chunks; S3
    // versions would keep every deleted chunk (and bill it) forever.
    const data = createToolBucket(scope, "data", { versioned: false });
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: DATABASE.name, settings: params.database });
    // pachd (and pachw, which runs as pachd's account) and the workers: the bucket, nothing else.
    const pachdRole = createToolRole(scope, { namespace, serviceAccount: PACHD_SERVICE_ACCOUNT, statements: bucketStatements([data.arn], "readwrite", "Data") });
    const workerRole = createToolRole(scope, { role: "worker", namespace, serviceAccount: WORKER_SERVICE_ACCOUNT, statements: bucketStatements([data.arn], "readwrite", "Data") });
    const databaseRole = this.createDatabaseRole(scope, namespace, database);
    const master = syncDatabaseSecret(scope, { namespace, serviceAccount: DATABASE_SERVICE_ACCOUNT, database, secretName: MASTER_SECRET, dependsOn: [databaseRole] });
    const credentials = this.createCredentials(scope, namespace);
    const setup = createDatabaseSetupJob(scope, { namespace, database: { address: database.address, port: database.port, resourceId: database.instance.resourceId }, dependsOn: [master.externalSecret, credentials.secret] });
    const bucketUrl = data.name.apply((bucket) => storageUrl(bucket, region));
    helmRelease(
      name,
      {
        chart: CHARTS.pachyderm,
        releaseName: RELEASE,
        namespace: NAMESPACE,
        values: pachydermValues({ params, region, bucket: data.name, storageUrl: bucketUrl, database, clusterDeploymentId: data.name }),
      },
      { parent: this, dependsOn: [namespace.resource, pachdRole, workerRole, credentials.secret, setup] },
    );

    const inCluster = pachdAddress(`${PACHD_SERVICE}.${NAMESPACE}.svc.cluster.local`);
    this.outputs = pulumi.output({
      pachdAddress: inCluster,
      ...(params.console ? { consoleUrl: serviceUrl(CONSOLE_SERVICE, NAMESPACE, CONSOLE_PORT), localConsoleUrl: `http://localhost:${CONSOLE_PORT}` } : {}),
      portForwards: portForwards(params.console),
      pachctlContext: pachctlContext(),
      commands: pachydermCommands({ contextName: namePrefix, withConsole: params.console }),
      dataBucket: data.name,
      storageUrl: bucketUrl,
      databaseEndpoint: database.endpoint,
      workerRoleArn: workerRole.roleArn,
    });
    this.env = stringMap({ PACHD_ADDRESS: inCluster });
    this.podEnv = { plain: stringMap({ PACHD_ADDRESS: inCluster }) };
    this.localAccess = { namespace: NAMESPACE, service: PACHD_SERVICE, ports: [{ local: PACHD_PORT, remote: PACHD_PORT }], env: { PACHD_ADDRESS: pachdAddress("localhost") } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * Only External Secrets runs as this account, to sync the RDS master's credentials for the setup
   * Job: the master password stays out of reach of pachd and pachw (Pachyderm's own role is enough
   * for them).
   */
  private createDatabaseRole(scope: ToolScope, namespace: ToolNamespace, database: Database): ServiceAccountRole {
    return createToolRole(scope, { role: "database", namespace, serviceAccount: DATABASE_SERVICE_ACCOUNT, statements: [secretReadStatement(database.masterUserSecretArn)] });
  }

  /**
   * Generated once, Pulumi secrets, reaching pods only through secretKeyRef: Pachyderm's database
   * password (alphanumeric: pachd puts it unquoted in a DSN) and the console's OAuth client secret.
   */
  private createCredentials(scope: ToolScope, namespace: ToolNamespace) {
    return createGeneratedSecret(scope, {
      namespace,
      purpose: "credentials",
      secretName: CREDENTIALS_SECRET,
      generated: { [CREDENTIAL_KEYS.dbPassword]: 40, [CREDENTIAL_KEYS.consoleOauth]: 32 },
    });
  }
}

export const pachyderm: ToolComponentModule = {
  create: (name, context) => new Pachyderm(name, context, toolComponentOptions(context)),
};
