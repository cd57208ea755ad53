import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import type { ToolContext } from "../shared/context";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { stringMap } from "../shared/outputs";
import { trackerPodEnv, TRACKERS } from "../shared/peers";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { flyteParams, projectNamespaces } from "./params";
import { createTaskRole } from "./tasks-role";
import { createTaskPodTemplate, taskEnvValues } from "./task-env";
import { flytectlConfig, grpcEndpoint, LOCAL_GRPC_PORT, LOCAL_HTTP_PORT } from "./client";
import { DB_SECRET, DEPLOYMENT, DSN_PASSWORD_KEY, DSN_PASSWORD_TEMPLATE, flyteValues, GRPC_PORT, GRPC_SERVICE, HTTP_PORT, HTTP_SERVICE, NAMESPACE, RELEASE, SERVICE_ACCOUNT } from "./values";

/**
 * Flyte 1.x as flyte-binary (flyteadmin, flytepropeller, datacatalog and the scheduler in one
 * Deployment): PostgreSQL on RDS read through a password file from the synced Secret, metadata
 * and raw-data buckets through IRSA for the server and for the task pods of every project-domain
 * namespace. Reachable only inside the cluster (port-forward from a laptop): it is never exposed.
 * With MLflow in the stack, task pods get its in-cluster tracking settings (see task-env.ts).
 */
export class Flyte extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Flyte", name, {}, opts);
    const params = flyteParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const metadata = createToolBucket(scope, "metadata");
    const rawData = createToolBucket(scope, "raw-data");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: "flyte", settings: params.database });
    const role = this.createServerRole(scope, namespace, [metadata, rawData], database);
    const taskNamespaces = projectNamespaces(params.projects);
    const taskRole = createTaskRole(scope, params.projects, bucketStatements([metadata.arn, rawData.arn], "readwrite", "FlyteData"));
    const credentials = syncDatabaseSecret(scope, { namespace, serviceAccount: SERVICE_ACCOUNT, database, secretName: DB_SECRET, dependsOn: [role], template: { [DSN_PASSWORD_KEY]: DSN_PASSWORD_TEMPLATE } });
    const valuesArgs = { params, region: context.platform.region, metadataBucket: metadata.name, rawDataBucket: rawData.name, database, taskRoleArn: taskRole.arn, podAnnotations: credentials.podAnnotations };
    // Task pods log runs to MLflow when the stack has it: a default PodTemplate, and its Secret in every project-domain namespace.
    const trackers = trackerPodEnv(scope, namespace);
    const podTemplate = trackers ? createTaskPodTemplate(scope, namespace, trackers.env) : undefined;
    helmRelease(
      name,
      {
        chart: CHARTS.flyte,
        releaseName: RELEASE,
        namespace: NAMESPACE,
        values: trackers ? trackers.env.apply((env) => flyteValues({ ...valuesArgs, taskEnv: taskEnvValues(env) })) : flyteValues(valuesArgs),
      },
      { parent: this, dependsOn: [namespace.resource, credentials.externalSecret, role, taskRole, ...(trackers?.dependsOn ?? []), ...(podTemplate ? [podTemplate] : [])] },
    );

    this.dataBuckets = [{ name: rawData.name, arn: rawData.arn }];
    this.outputs = stringMap({
      endpoint: grpcEndpoint(`${GRPC_SERVICE}.${NAMESPACE}.svc.cluster.local`, GRPC_PORT),
      consoleUrl: `http://${HTTP_SERVICE}.${NAMESPACE}.svc.cluster.local:${HTTP_PORT}/console`,
      // One pod serves both ports: forward the Deployment (each Service carries only one of them).
      portForward: `kubectl -n ${NAMESPACE} port-forward deployment/${DEPLOYMENT} ${LOCAL_HTTP_PORT}:${HTTP_PORT} ${LOCAL_GRPC_PORT}:${GRPC_PORT}`,
      localConsoleUrl: `http://localhost:${LOCAL_HTTP_PORT}/console`,
      flytectlConfig: flytectlConfig(`localhost:${LOCAL_GRPC_PORT}`),
      projects: params.projects.join(", "),
      taskNamespaces: taskNamespaces.join(", "),
      metadataBucket: metadata.name,
      rawDataPrefix: pulumi.interpolate`s3://${rawData.name}/data`,
      taskRoleArn: taskRole.arn,
      databaseEndpoint: database.endpoint,
    });
    // flytekit's platform settings: host:port, no resolver prefix.
    this.env = stringMap({ FLYTE_PLATFORM_URL: `${GRPC_SERVICE}.${NAMESPACE}.svc.cluster.local:${GRPC_PORT}`, FLYTE_PLATFORM_INSECURE: "true" });
    this.localAccess = {
      namespace: NAMESPACE,
      service: GRPC_SERVICE,
      ports: [{ local: LOCAL_GRPC_PORT, remote: GRPC_PORT }],
      env: { FLYTE_PLATFORM_URL: `localhost:${LOCAL_GRPC_PORT}`, FLYTE_PLATFORM_INSECURE: "true" },
    };
    this.registerOutputs({ outputs: this.outputs });
  }

  /** The server writes workflow metadata and reads raw data, and reads only its own database secret. */
  private createServerRole(scope: ToolScope, namespace: ToolNamespace, buckets: Bucket[], database: Database): ServiceAccountRole {
    return createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: [...bucketStatements(buckets.map((bucket) => bucket.arn), "readwrite", "FlyteData"), secretReadStatement(database.masterUserSecretArn)],
    });
  }
}

export const flyte: ToolComponentModule = {
  links: TRACKERS,
  create: (name, context) => new Flyte(name, context, toolComponentOptions(context)),
};
