import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CHARTS } from "../../base/charts";
import { helmRelease } from "../../base/helm";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { placement, usesGpu } from "../shared/placement";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, PodEnv, ToolComponent, ToolComponentModule } from "../shared/types";
import { determinedCommands, exampleExperiment } from "./outputs";
import { determinedParams } from "./params";
import { createCaConfigMap, createDatabaseSetupJob, rdsCaBundle } from "./setup";
import {
  ADMIN_USERNAME,
  CREDENTIAL_KEYS,
  CREDENTIALS_SECRET,
  DATABASE,
  DATABASE_SERVICE_ACCOUNT,
  determinedValues,
  MASTER_DEPLOYMENT,
  MASTER_SECRET,
  MASTER_SERVICE_ACCOUNT,
  MASTER_SERVICE,
  NAMESPACE,
  PORT,
  RELEASE,
  TASK_SERVICE_ACCOUNT,
} from "./values";

/**
 * Paths the master serves without authentication that the internet has no business with:
 * `/task-logs` (master/internal/core.go at v0.38.1: POST, stores any task log sent, for the
 * in-cluster log shippers). The ALB answers them 403 when Determined is exposed.
 */
export const BLOCKED_PATHS = ["/task-logs"];

/**
 * Determined 0.38.1 (the last release): the master on RDS PostgreSQL (a role of its own with a
 * generated password, verify-full TLS), launching trials, notebooks and checkpoint-GC tasks as pods
 * running as one IRSA account that reads and writes the checkpoint bucket, on the GPU nodes when
 * the stack has them. Its own login guards it: built-in users with a generated password.
 */
export class Determined extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly podEnv: PodEnv;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Determined", name, {}, opts);
    const params = determinedParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const gpu = usesGpu(name, params.gpu, context.platform.gpuNodesAvailable) ? placement(context, true) : undefined;

    const namespace = createNamespace(scope, NAMESPACE);
    const checkpoints = createToolBucket(scope, "checkpoints");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: DATABASE.name, settings: params.database });
    // Trials, notebooks and checkpoint GC (they delete old checkpoints): the bucket, nothing else.
    const taskRole = createToolRole(scope, { role: "tasks", namespace, serviceAccount: TASK_SERVICE_ACCOUNT, statements: bucketStatements([checkpoints.arn], "readwrite", "Checkpoints") });
    // Only External Secrets runs as this one: the RDS master credentials reach the setup Job alone.
    const databaseRole = createToolRole(scope, { role: "database", namespace, serviceAccount: DATABASE_SERVICE_ACCOUNT, statements: [secretReadStatement(database.masterUserSecretArn)] });
    const master = syncDatabaseSecret(scope, { namespace, serviceAccount: DATABASE_SERVICE_ACCOUNT, database, secretName: MASTER_SECRET, dependsOn: [databaseRole] });
    const credentials = createGeneratedSecret(scope, { namespace, purpose: "credentials", secretName: CREDENTIALS_SECRET, generated: { [CREDENTIAL_KEYS.dbPassword]: 32 } });
    const adminPassword = this.createAdminPassword(scope);
    const ca = createCaConfigMap(scope, namespace, pulumi.output(rdsCaBundle(context.platform.region)));
    const setup = createDatabaseSetupJob(scope, {
      database: { address: database.address, port: database.port, resourceId: database.instance.resourceId },
      dependsOn: [master.externalSecret, credentials.secret, ca],
    });
    const release = helmRelease(
      name,
      {
        chart: CHARTS.determined,
        releaseName: RELEASE,
        namespace: NAMESPACE,
        // The chart has no existing-Secret option: both passwords are values, each a Pulumi secret
        // (nested: the rest of the values stays reviewable; the provider keeps nested secrets encrypted in state).
        values: determinedValues({
          params,
          gpu,
          bucket: checkpoints.name,
          database: { address: database.address, port: database.port },
          dbPassword: credentials.values[CREDENTIAL_KEYS.dbPassword]!,
          adminPassword,
        }),
      },
      // The task account exists before the master can start a task as it.
      { parent: this, dependsOn: [namespace.resource, setup, ca, taskRole] },
    );
    this.giveMasterRole(scope, createToolRole(scope, { role: "master", namespace, serviceAccount: MASTER_SERVICE_ACCOUNT, statements: bucketStatements([checkpoints.arn], "read", "Checkpoints"), createServiceAccount: false }), release);
    const exposed = params.expose
      ? createIngress(scope, { namespace, serviceName: MASTER_SERVICE, port: PORT, expose: params.expose, healthCheckPath: "/info", blockedPaths: BLOCKED_PATHS, dependsOn: [release] })
      : undefined;

    const inClusterUrl = serviceUrl(MASTER_SERVICE, NAMESPACE, PORT);
    const url = params.expose ? `https://${params.expose.host}` : localUrl(PORT);
    const portForward = `kubectl port-forward -n ${NAMESPACE} svc/${MASTER_SERVICE} ${PORT}:${PORT}`;
    this.outputs = pulumi.output({
      url,
      inClusterUrl,
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : { portForward }),
      adminUsername: ADMIN_USERNAME,
      checkpointBucket: checkpoints.name,
      checkpointPrefix: params.checkpoint_prefix,
      taskNamespace: NAMESPACE,
      taskServiceAccount: TASK_SERVICE_ACCOUNT,
      taskRoleArn: taskRole.roleArn,
      databaseEndpoint: database.endpoint,
      gpu: gpu !== undefined,
      commands: determinedCommands({ portForward: params.expose ? undefined : portForward }),
      exampleExperiment: checkpoints.name.apply((bucket) => exampleExperiment({ bucket, prefix: params.checkpoint_prefix })),
    });
    this.env = stringMap({ DET_MASTER: params.expose ? url : inClusterUrl, DET_USER: ADMIN_USERNAME });
    this.secretEnv = pulumi.secret(stringMap({ DET_PASS: adminPassword }));
    this.podEnv = { plain: stringMap({ DET_MASTER: inClusterUrl }) };
    if (!params.expose) this.localAccess = { namespace: NAMESPACE, service: MASTER_SERVICE, ports: [{ local: PORT, remote: PORT }], env: { DET_MASTER: localUrl(PORT) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * The master downloads checkpoints for the Web UI and `det checkpoint download` (core_checkpoint.go):
   * read access through the chart's account, which has no annotations key, so it is annotated after
   * the release; the pod-template annotation restarts the master once so the role reaches it.
   */
  private giveMasterRole(scope: ToolScope, role: { roleArn: pulumi.Output<string> }, release: pulumi.Resource): void {
    const annotated = new k8s.core.v1.ServiceAccountPatch(
      `${scope.name}-master-account`,
      { metadata: { name: MASTER_SERVICE_ACCOUNT, namespace: NAMESPACE, annotations: { "eks.amazonaws.com/role-arn": role.roleArn } } },
      { parent: this, dependsOn: [release] },
    );
    new k8s.apps.v1.DeploymentPatch(
      `${scope.name}-master-role`,
      { metadata: { name: MASTER_DEPLOYMENT, namespace: NAMESPACE }, spec: { template: { metadata: { annotations: { "platinfra.dev/role-arn": role.roleArn } } } } },
      { parent: this, dependsOn: [annotated] },
    );
  }

  /**
   * The initial password of the built-in `admin` and `determined` users, set at the master's first
   * start only. The chart refuses one without an upper-case letter, a lower-case letter and a digit.
   */
  private createAdminPassword(scope: ToolScope): pulumi.Output<string> {
    const password = new random.RandomPassword(`${scope.name}-admin-password`, { length: 24, special: false, minUpper: 1, minLower: 1, minNumeric: 1 }, { parent: this });
    return pulumi.secret(password.result);
  }
}

export const determined: ToolComponentModule = {
  create: (name, context) => new Determined(name, context, toolComponentOptions(context)),
};
