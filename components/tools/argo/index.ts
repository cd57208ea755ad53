import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { trackerPodEnv, TRACKERS } from "../shared/peers";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { argoCommands, argoServer, TOKEN_COMMAND } from "./commands";
import { argoParams } from "./params";
import { createSubmitter } from "./submitter";
import { argoValues, DATABASE_SERVICE_ACCOUNT, DB_NAME, DB_SECRET, NAMESPACE, PORT, RELEASE, SERVER_SERVICE, SERVER_SERVICE_ACCOUNT, SUBMITTER, WORKFLOWS_NAMESPACE, WORKFLOW_SERVICE_ACCOUNT } from "./values";

/**
 * Argo Workflows (pipelining): controller and server from the chart, with its CRDs; workflows run
 * in their own namespace as a service account whose IRSA role reaches exactly the artifact bucket;
 * finished workflows archived in RDS PostgreSQL; the server only accepts Kubernetes bearer tokens
 * (client auth), and platinfra creates a submitter account whose token a user reads with kubectl.
 * With MLflow in the stack, every container and script step gets its in-cluster tracking settings.
 */
export class Argo extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Argo", name, {}, opts);
    const params = argoParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const { region } = context.platform;

    const namespace = createNamespace(scope, NAMESPACE);
    const workflows = this.createWorkflowsNamespace(scope);
    const artifacts = createToolBucket(scope, "artifacts");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: DB_NAME, settings: params.database });
    const workflowRole = createToolRole(scope, { role: "workflow", namespace: workflows, serviceAccount: WORKFLOW_SERVICE_ACCOUNT, statements: bucketStatements([artifacts.arn], "readwrite", "Artifacts") });
    const serverRole = createToolRole(scope, { role: "server", namespace, serviceAccount: SERVER_SERVICE_ACCOUNT, statements: bucketStatements([artifacts.arn], "read", "Artifacts"), createServiceAccount: false });
    const databaseRole = this.createDatabaseRole(scope, namespace, database);
    const credentials = syncDatabaseSecret(scope, { namespace, serviceAccount: DATABASE_SERVICE_ACCOUNT, database, secretName: DB_SECRET, dependsOn: [databaseRole] });
    // Workflow steps log runs to MLflow when the stack has it: the Secret they read lives where they run.
    const trackers = trackerPodEnv(scope, workflows);
    const values = pulumi
      .all([artifacts.name, database.address, database.port, serverRole.roleArn, trackers?.env])
      .apply(([bucket, host, port, serverRoleArn, workflowEnv]) =>
        argoValues({ params, region, bucket, database: { host, port }, serverRoleArn, podAnnotations: credentials.podAnnotations, ...(workflowEnv ? { workflowEnv } : {}) }),
      );
    const release = helmRelease(
      name,
      { chart: CHARTS.argoWorkflows, releaseName: RELEASE, namespace: NAMESPACE, values },
      { parent: this, dependsOn: [namespace.resource, workflows.resource, workflowRole, serverRole, credentials.externalSecret, ...(trackers?.dependsOn ?? [])] },
    );
    createSubmitter(scope, workflows, [release]);
    const exposed = params.expose ? createIngress(scope, { namespace, serviceName: SERVER_SERVICE, port: PORT, expose: params.expose, healthCheckPath: "/", dependsOn: [release] }) : undefined;

    const host = params.expose?.host;
    const env = { ARGO_SERVER: argoServer(host), ARGO_SECURE: host ? "true" : "false", ARGO_HTTP1: "true", ARGO_NAMESPACE: WORKFLOWS_NAMESPACE };
    this.dataBuckets = [{ name: artifacts.name, arn: artifacts.arn }];
    this.outputs = pulumi.output({
      uiUrl: host ? `https://${host}` : localUrl(PORT),
      inClusterUrl: serviceUrl(SERVER_SERVICE, NAMESPACE, PORT),
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      workflowsNamespace: WORKFLOWS_NAMESPACE,
      workflowServiceAccount: WORKFLOW_SERVICE_ACCOUNT,
      submitterServiceAccount: SUBMITTER,
      tokenCommand: TOKEN_COMMAND,
      artifactBucket: artifacts.name,
      databaseEndpoint: database.endpoint,
      commands: argoCommands(host),
    });
    this.env = stringMap(env);
    // The port-forward's address is already what `env` says: nothing to rewrite.
    if (!host) this.localAccess = { namespace: NAMESPACE, service: SERVER_SERVICE, ports: [{ local: PORT, remote: PORT }], env };
    this.registerOutputs({ outputs: this.outputs });
  }

  /** Workflow pods' namespace (the chart adds its workflow Role there through `controller.workflowNamespaces`). */
  private createWorkflowsNamespace(scope: ToolScope): ToolNamespace {
    const resource = new k8s.core.v1.Namespace(
      `${scope.name}-workflows-namespace`,
      { metadata: { name: WORKFLOWS_NAMESPACE, labels: { "app.kubernetes.io/managed-by": "platinfra", "platinfra.dev/tool": scope.context.instance.name } } },
      { parent: this, dependsOn: scope.context.platform.ready },
    );
    return { name: WORKFLOWS_NAMESPACE, resource };
  }

  /** Only External Secrets runs as this account: it reads the RDS-managed credentials and nothing else. */
  private createDatabaseRole(scope: ToolScope, namespace: ToolNamespace, database: Database): ServiceAccountRole {
    return createToolRole(scope, { role: "database", namespace, serviceAccount: DATABASE_SERVICE_ACCOUNT, statements: [secretReadStatement(database.masterUserSecretArn)] });
  }
}

export const argo: ToolComponentModule = {
  links: TRACKERS,
  create: (name, context) => new Argo(name, context, toolComponentOptions(context)),
};
