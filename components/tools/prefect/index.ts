import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../base/charts";
import { reloadOnSecretChange } from "../../base/reloader";
import { helmRelease } from "../../base/helm";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, databaseUrlTemplate, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { trackerPodEnv, TRACKERS } from "../shared/peers";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, PodEnv, ToolComponent, ToolComponentModule } from "../shared/types";
import { baseJobTemplate } from "./job-template";
import { prefectParams } from "./params";
import {
  ADMIN_SECRET,
  ADMIN_USERNAME,
  AUTH_KEY,
  AUTH_SECRET,
  DB_SECRET,
  DB_URL_KEY,
  FLOW_SERVICE_ACCOUNT,
  NAMESPACE,
  PORT,
  SERVER_RELEASE,
  SERVER_SERVICE_ACCOUNT,
  WORKER_RELEASE,
  apiUrl,
  serverValues,
  workerValues,
} from "./values";

/**
 * Prefect (pipelining): the Prefect server on RDS PostgreSQL (its asyncpg URL, password included,
 * rendered in the cluster by External Secrets), basic auth always on with a generated admin
 * password, and a Kubernetes worker serving one work pool against the server's in-cluster API.
 */
export class Prefect extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly podEnv: PodEnv;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Prefect", name, {}, opts);
    const params = prefectParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };

    const namespace = createNamespace(scope, NAMESPACE);
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: "prefect", settings: params.database });
    // The server's service account only reads its database secret (the sync authenticates as it).
    const role = createToolRole(scope, { namespace, serviceAccount: SERVER_SERVICE_ACCOUNT, statements: [secretReadStatement(database.masterUserSecretArn)] });
    const credentials = syncDatabaseSecret(scope, {
      namespace,
      serviceAccount: SERVER_SERVICE_ACCOUNT,
      database,
      secretName: DB_SECRET,
      dependsOn: [role],
      // asyncpg takes `ssl`, not libpq's `sslmode` (SQLAlchemy hands URL query options to asyncpg.connect).
      template: { [DB_URL_KEY]: databaseUrlTemplate(database, "postgresql+asyncpg", "?ssl=require") },
    });
    const auth = this.createAuthSecrets(scope, namespace);
    // Flow runs get their own service account and bucket (results, data): the server's role stays DB-only.
    const flows = createToolBucket(scope, "flows");
    createToolRole(scope, { role: "flows", namespace, serviceAccount: FLOW_SERVICE_ACCOUNT, statements: bucketStatements([flows.arn], "readwrite", "Flows") });

    const inClusterUrl = serviceUrl(SERVER_RELEASE, NAMESPACE, PORT);
    const baseUrl = params.expose ? `https://${params.expose.host}` : localUrl(PORT);
    // Reloader restarts the server when the DB password rotates or the auth string is replaced (both read at start).
    const server = helmRelease(
      `${name}-server`,
      { chart: CHARTS.prefectServer, releaseName: SERVER_RELEASE, namespace: NAMESPACE, values: serverValues({ params, uiApiUrl: apiUrl(baseUrl), podAnnotations: reloadOnSecretChange([DB_SECRET, AUTH_SECRET]) }) },
      { parent: this, dependsOn: [namespace.resource, role, credentials.externalSecret, auth.secret] },
    );
    // Flow runs default to the worker's namespace and the flows account, with MLflow's settings when the stack has it.
    const trackers = trackerPodEnv(scope, namespace);
    const jobTemplate = pulumi.output(trackers?.env ?? []).apply((env) => JSON.stringify(baseJobTemplate({ namespace: NAMESPACE, serviceAccount: FLOW_SERVICE_ACCOUNT, env })));
    helmRelease(
      `${name}-worker`,
      { chart: CHARTS.prefectWorker, releaseName: WORKER_RELEASE, namespace: NAMESPACE, values: workerValues({ params, inClusterApiUrl: apiUrl(inClusterUrl), baseJobTemplate: jobTemplate }) },
      { parent: this, dependsOn: [namespace.resource, auth.secret, server, ...(trackers?.dependsOn ?? [])] },
    );
    const exposed = params.expose ? createIngress(scope, { namespace, serviceName: SERVER_RELEASE, port: PORT, expose: params.expose, healthCheckPath: "/api/health", dependsOn: [server] }) : undefined;

    this.outputs = pulumi.output({
      url: baseUrl,
      apiUrl: apiUrl(baseUrl),
      inClusterApiUrl: apiUrl(inClusterUrl),
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      workPool: params.work_pool,
      flowRunNamespace: NAMESPACE,
      flowServiceAccount: FLOW_SERVICE_ACCOUNT,
      flowsBucket: flows.name,
      adminUsername: ADMIN_USERNAME,
      databaseEndpoint: database.endpoint,
      commands: prefectCommands({ workPool: params.work_pool, portForward: params.expose ? undefined : `kubectl port-forward -n ${NAMESPACE} svc/${SERVER_RELEASE} ${PORT}:${PORT}` }),
    });
    this.env = stringMap({ PREFECT_API_URL: apiUrl(params.expose ? baseUrl : inClusterUrl) });
    this.secretEnv = pulumi.secret(stringMap({ PREFECT_API_AUTH_STRING: auth.authString }));
    this.podEnv = { plain: stringMap({ PREFECT_API_URL: apiUrl(inClusterUrl) }), secrets: { PREFECT_API_AUTH_STRING: auth.authString } };
    if (!params.expose) this.localAccess = { namespace: NAMESPACE, service: SERVER_RELEASE, ports: [{ local: PORT, remote: PORT }], env: { PREFECT_API_URL: apiUrl(localUrl(PORT)) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * The admin password, generated once (a Pulumi secret), and the `admin:<password>` string both
   * charts read from Secret `prefect-auth`: the server then refuses unauthenticated API and UI
   * calls from its first start, so no visitor ever meets an open server.
   */
  private createAuthSecrets(scope: ToolScope, namespace: ToolNamespace) {
    const admin = createGeneratedSecret(scope, { namespace, purpose: "admin", secretName: ADMIN_SECRET, generated: { password: 32 }, plain: { username: ADMIN_USERNAME } });
    const authString = pulumi.secret(pulumi.interpolate`${ADMIN_USERNAME}:${admin.values.password}`);
    const secret = new k8s.core.v1.Secret(
      `${scope.name}-auth`,
      { metadata: { name: AUTH_SECRET, namespace: namespace.name }, stringData: { [AUTH_KEY]: authString } },
      { parent: this, dependsOn: [namespace.resource] },
    );
    return { secret, authString };
  }
}

/**
 * What to run next: reach the server from a laptop, read the client settings, deploy a flow. The
 * work pool's template already runs flow runs in the worker's namespace as the flows account; the
 * image must hold the flow's code (Prefect's default image does not), so the command names one.
 */
export function prefectCommands(args: { workPool: string; portForward?: string }): string[] {
  return [
    ...(args.portForward ? [args.portForward] : []),
    `eval "$(platinfra outputs stack.yaml --env${args.portForward ? " --local" : ""} --show-secrets)"   # PREFECT_API_URL and PREFECT_API_AUTH_STRING (admin:<password>, also what the UI's login asks for)`,
    `prefect deploy ./flows.py:my_flow --name my-flow --pool ${args.workPool} --job-variable image=IMAGE_WITH_YOUR_CODE   # or my_flow.deploy("my-flow", work_pool_name="${args.workPool}", image=...); runs in namespace ${NAMESPACE} as ${FLOW_SERVICE_ACCOUNT}`,
  ];
}

export const prefect: ToolComponentModule = {
  create: (name, context) => new Prefect(name, context, toolComponentOptions(context)),
  links: TRACKERS,
};
