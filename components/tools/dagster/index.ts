import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { trackerPodEnv, TRACKERS } from "../shared/peers";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { dagsterParams } from "./params";
import { runEnvironment } from "./run-env";
import { DATABASE_NAME, DB_SECRET, LOCAL_PORT, LOG_PREFIX, NAMESPACE, PASSWORD_KEY, RELEASE, SERVICE_ACCOUNT, WEBSERVER_PORT, WEBSERVER_SERVICE, dagsterValues } from "./values";

/**
 * Dagster (pipelining): the webserver and daemon, runs launched as Kubernetes Jobs (K8sRunLauncher),
 * run/event/schedule storage in PostgreSQL on RDS (the password synced from Secrets Manager, never
 * in state or values), step logs in S3 through IRSA, and optionally one code location from the
 * user's image. Dagster OSS has no login: the UI stays in the cluster, reached by port-forward.
 */
export class Dagster extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Dagster", name, {}, opts);
    const params = dagsterParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const logs = createToolBucket(scope, "logs");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: DATABASE_NAME, settings: params.database });
    const role = this.createRole(scope, namespace, logs, database);
    const credentials = syncDatabaseSecret(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      database,
      secretName: DB_SECRET,
      dependsOn: [role],
      // The key name Dagster reads everywhere (see PASSWORD_KEY), beside the synced username/password.
      template: { [PASSWORD_KEY]: "{{ .password }}" },
    });
    const trackers = trackerPodEnv(scope, namespace);
    helmRelease(
      name,
      {
        chart: CHARTS.dagster,
        releaseName: RELEASE,
        namespace: NAMESPACE,
        values: dagsterValues({ params, database, logBucket: logs.name, podAnnotations: credentials.podAnnotations, ...(trackers ? { runEnv: runEnvironment(trackers.env) } : {}) }),
      },
      { parent: this, dependsOn: [namespace.resource, role, credentials.externalSecret, ...(trackers?.dependsOn ?? [])] },
    );

    const webserverUrl = serviceUrl(WEBSERVER_SERVICE, NAMESPACE, WEBSERVER_PORT);
    const portForward = `kubectl --namespace ${NAMESPACE} port-forward service/${WEBSERVER_SERVICE} ${LOCAL_PORT}:${WEBSERVER_PORT}`;
    this.dataBuckets = [{ name: logs.name, arn: logs.arn }];
    this.outputs = stringMap({
      uiUrl: localUrl(LOCAL_PORT),
      portForward,
      webserverUrl,
      usage: `Dagster has no login: its UI is only reachable from inside the cluster. Run \`${portForward}\` and open ${localUrl(LOCAL_PORT)}.`,
      computeLogs: pulumi.interpolate`s3://${logs.name}/${LOG_PREFIX}`,
      databaseEndpoint: database.endpoint,
      codeLocation: params.user_code ? `${params.user_code.name} (${params.user_code.image})` : "none: add user_code (image, module or package) to load definitions",
    });
    this.env = stringMap({ DAGSTER_WEBSERVER_URL: webserverUrl });
    this.localAccess = { namespace: NAMESPACE, service: WEBSERVER_SERVICE, ports: [{ local: LOCAL_PORT, remote: WEBSERVER_PORT }], env: { DAGSTER_WEBSERVER_URL: localUrl(LOCAL_PORT) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * One role for every Dagster pod: the daemon and run pods write step logs (S3ComputeLogManager,
   * boto3's default chain → web identity), the webserver reads them, and the secret sync reads the
   * database password. The chart gives the same account to the K8sRunLauncher's Jobs.
   */
  private createRole(scope: ToolScope, namespace: ToolNamespace, logs: Bucket, database: Database): ServiceAccountRole {
    return createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: [...bucketStatements([logs.arn], "readwrite", "ComputeLogs"), secretReadStatement(database.masterUserSecretArn)],
    });
  }
}

export const dagster: ToolComponentModule = {
  links: TRACKERS,
  create: (name, context) => new Dagster(name, context, toolComponentOptions(context)),
};
