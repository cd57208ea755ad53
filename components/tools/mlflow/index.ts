import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import { mlflowParams } from "./params";
import { AUTH_DATABASE } from "./access";
import type { LocalAccess, PodEnv, ToolComponent, ToolComponentModule } from "../shared/types";
import { NAMESPACE, SERVICE, SERVICE_ACCOUNT, PORT, LOCAL_PORT, DB_SECRET, ADMIN_SECRET, AUTH_DB_SECRET, mlflowValues } from "./values";

/**
 * MLflow as tracking server, artifact store, model registry, and for its monitoring and alerting
 * roles: one deployment, however many roles it serves. PostgreSQL on RDS as the backend store (its
 * password synced from Secrets Manager, never in state), artifacts in S3 proxied by the server
 * through IRSA, basic auth on whenever the server is exposed beyond the cluster.
 */
export class Mlflow extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv?: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly podEnv: PodEnv;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Mlflow", name, {}, opts);
    const params = mlflowParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const artifacts = createToolBucket(scope, "artifacts");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: "mlflow", settings: params.database });
    const role = this.createRole(scope, namespace, artifacts, database);
    const credentials = syncDatabaseSecret(scope, { namespace, serviceAccount: SERVICE_ACCOUNT, database, secretName: DB_SECRET, dependsOn: [role] });
    const admin = params.expose ? this.createAuthSecrets(scope, namespace, params.admin_username) : undefined;
    const release = helmRelease(
      name,
      {
        chart: CHARTS.mlflow,
        releaseName: "mlflow",
        namespace: NAMESPACE,
        values: mlflowValues({ params, bucket: artifacts.name, database, auth: Boolean(admin), podAnnotations: credentials.podAnnotations }),
      },
      { parent: this, dependsOn: [namespace.resource, credentials.externalSecret, role, ...(admin ? admin.secrets : [])] },
    );
    const externalUrl = params.expose ? `https://${params.expose.host}` : undefined;
    const exposed = params.expose ? createIngress(scope, { namespace, serviceName: SERVICE, port: PORT, expose: params.expose, healthCheckPath: "/health", dependsOn: [release] }) : undefined;

    const trackingUri = externalUrl ?? serviceUrl(SERVICE, NAMESPACE, PORT);
    this.dataBuckets = [{ name: artifacts.name, arn: artifacts.arn }];
    this.outputs = stringMap({
      trackingUri: serviceUrl(SERVICE, NAMESPACE, PORT),
      ...(externalUrl ? { externalUrl } : {}),
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      artifactLocation: pulumi.interpolate`s3://${artifacts.name}/artifacts`,
      artifactBucket: artifacts.name,
      databaseEndpoint: database.endpoint,
      roles: context.instance.roles.join(", "),
    });
    this.env = stringMap({
      MLFLOW_TRACKING_URI: trackingUri,
      ...(admin ? { MLFLOW_TRACKING_USERNAME: params.admin_username } : {}),
    });
    if (admin) this.secretEnv = pulumi.secret(stringMap({ MLFLOW_TRACKING_PASSWORD: admin.password }));
    // Pods use the Service (allowed host, no trip through the ALB), with the same credentials when auth is on.
    this.podEnv = {
      plain: stringMap({ MLFLOW_TRACKING_URI: serviceUrl(SERVICE, NAMESPACE, PORT), ...(admin ? { MLFLOW_TRACKING_USERNAME: params.admin_username } : {}) }),
      ...(admin ? { secrets: { MLFLOW_TRACKING_PASSWORD: admin.password } } : {}),
    };
    if (!externalUrl) this.localAccess = { namespace: NAMESPACE, service: SERVICE, ports: [{ local: LOCAL_PORT, remote: PORT }], env: { MLFLOW_TRACKING_URI: localUrl(LOCAL_PORT) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * The server proxies artifacts: only it touches the bucket, and reads only its own database secret.
   * Platinfra creates the service account, not the chart: the secret sync authenticates as it and
   * must find it before the release starts (and a rolled-back release must not take it away).
   */
  private createRole(scope: ToolScope, namespace: ToolNamespace, artifacts: Bucket, database: Database): ServiceAccountRole {
    return createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: [...bucketStatements([artifacts.arn], "readwrite", "Artifacts"), secretReadStatement(database.masterUserSecretArn)],
    });
  }

  /**
   * Basic auth's generated secrets, kept only as Pulumi secrets and Kubernetes Secrets: the admin
   * password, and the password of the auth database's own role.
   */
  private createAuthSecrets(scope: ToolScope, namespace: ToolNamespace, username: string) {
    const admin = createGeneratedSecret(scope, { namespace, purpose: "admin", secretName: ADMIN_SECRET, generated: { password: 32 }, plain: { username } });
    const authDatabase = createGeneratedSecret(scope, { namespace, purpose: "auth-db", secretName: AUTH_DB_SECRET, generated: { password: 32 }, plain: { username: AUTH_DATABASE.user } });
    return { password: admin.values.password, secrets: [admin.secret, authDatabase.secret] };
  }
}

export const mlflow: ToolComponentModule = {
  create: (name, context) => new Mlflow(name, context, toolComponentOptions(context)),
};
