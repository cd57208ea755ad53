import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, databaseUrlTemplate, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, PodEnv, ToolComponent, ToolComponentModule } from "../shared/types";
import type { PolicyStatement } from "../../base/policies";
import { apiEndpoint, lakectlConfig, lakefsCommands } from "./commands";
import { lakefsParams } from "./params";
import { createSetupJob } from "./setup";
import { DB_SECRET, DB_URL_KEY, LAKEFS_ADMIN_USERNAME, NAMESPACE, PORT, RELEASE, SERVER_KEYS, SERVER_SECRET, SERVICE_ACCOUNT, lakefsValues } from "./values";

/**
 * lakeFS (data versioning): PostgreSQL metadata on RDS (its URL, password included, rendered in
 * the cluster by External Secrets), an S3 block store reached through IRSA, a generated
 * encryption key, and an admin created at deploy time whose access keys are Pulumi secrets.
 * lakeFS always requires its own login, in-cluster or exposed.
 */
export class Lakefs extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly podEnv: PodEnv;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Lakefs", name, {}, opts);
    const params = lakefsParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const { region } = context.platform;

    const namespace = createNamespace(scope, NAMESPACE);
    const data = createToolBucket(scope, "data");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: "lakefs", settings: params.database });
    const role = this.createServerRole(scope, namespace, data, database);
    const credentials = syncDatabaseSecret(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      database,
      secretName: DB_SECRET,
      dependsOn: [role],
      template: { [DB_URL_KEY]: databaseUrlTemplate(database, "postgres", "?sslmode=require") },
    });
    const server = this.createServerSecret(scope, namespace);
    const setup = createSetupJob(scope, { region, dependsOn: [role, credentials.externalSecret, server.secret] });
    const release = helmRelease(
      name,
      { chart: CHARTS.lakefs, releaseName: RELEASE, namespace: NAMESPACE, values: lakefsValues({ params, region, podAnnotations: credentials.podAnnotations }) },
      { parent: this, dependsOn: [namespace.resource, role, credentials.externalSecret, server.secret, setup] },
    );
    const exposed = params.expose ? createIngress(scope, { namespace, serviceName: RELEASE, port: PORT, expose: params.expose, healthCheckPath: "/_health", dependsOn: [release] }) : undefined;

    const inClusterUrl = serviceUrl(RELEASE, NAMESPACE, PORT);
    const endpoint = params.expose ? `https://${params.expose.host}` : inClusterUrl;
    const accessKeyId = server.values[SERVER_KEYS.accessKeyId];
    const secretAccessKey = server.values[SERVER_KEYS.secretAccessKey];
    // From a laptop: the exposed URL, or the port-forward's.
    const laptopUrl = params.expose ? endpoint : localUrl(PORT);
    const storageNamespace = pulumi.interpolate`s3://${data.name}`;
    this.dataBuckets = [{ name: data.name, arn: data.arn }];
    this.outputs = pulumi.output({
      endpoint,
      inClusterEndpoint: inClusterUrl,
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      adminUsername: LAKEFS_ADMIN_USERNAME,
      storageNamespace,
      dataBucket: data.name,
      databaseEndpoint: database.endpoint,
      s3GatewayEndpoint: laptopUrl,
      lakectlConfig: lakectlConfig(laptopUrl),
      commands: storageNamespace.apply((store) => lakefsCommands({ endpoint, storageNamespace: store, local: params.expose ? undefined : { namespace: NAMESPACE, service: RELEASE, port: PORT } })),
    });
    this.env = stringMap({ LAKECTL_SERVER_ENDPOINT_URL: apiEndpoint(endpoint) });
    this.secretEnv = pulumi.secret(stringMap({ LAKECTL_CREDENTIALS_ACCESS_KEY_ID: accessKeyId, LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY: secretAccessKey }));
    // Pods use the Service: no trip through the ALB; the same admin keys, copied into their namespace.
    this.podEnv = {
      plain: stringMap({ LAKECTL_SERVER_ENDPOINT_URL: apiEndpoint(inClusterUrl) }),
      secrets: { LAKECTL_CREDENTIALS_ACCESS_KEY_ID: accessKeyId, LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY: secretAccessKey },
    };
    if (!params.expose) this.localAccess = { namespace: NAMESPACE, service: RELEASE, ports: [{ local: PORT, remote: PORT }], env: { LAKECTL_SERVER_ENDPOINT_URL: apiEndpoint(localUrl(PORT)) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * The server reads and writes object data under the storage namespaces in its own bucket, and
   * reads its database secret. Platinfra creates the service account: the secret sync and the
   * setup Job run as it before the chart is installed. Beyond the common object actions, lakeFS's
   * S3 adapter lists the parts of multipart uploads (the S3 gateway's ListParts), which S3
   * authorises as s3:ListMultipartUploadParts on the objects.
   */
  private createServerRole(scope: ToolScope, namespace: ToolNamespace, data: Bucket, database: Database): ServiceAccountRole {
    return createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: [...bucketStatements([data.arn], "readwrite", "Data"), multipartPartsStatement(data), secretReadStatement(database.masterUserSecretArn)],
    });
  }

  /**
   * Generated once, Pulumi secrets, reaching pods only through secretKeyRef: the key encrypting
   * lakeFS's stored credentials (the chart's fallback is a published constant), the key signing
   * presigned links (lakeFS's default is one too), and the initial admin's access keys. The key ID
   * has 20 characters, the most lakeFS's S3 gateway accepts: it reads the ID from a SigV4
   * credential scope as 3 to 20 characters (pkg/gateway/sig/v4.go); lakeFS checks no other format.
   */
  private createServerSecret(scope: ToolScope, namespace: ToolNamespace) {
    return createGeneratedSecret(scope, {
      namespace,
      purpose: "server-credentials",
      secretName: SERVER_SECRET,
      generated: { [SERVER_KEYS.encrypt]: 64, [SERVER_KEYS.signing]: 64, [SERVER_KEYS.accessKeyId]: 20, [SERVER_KEYS.secretAccessKey]: 40 },
      plain: { [SERVER_KEYS.adminUser]: LAKEFS_ADMIN_USERNAME },
    });
  }
}

function multipartPartsStatement(data: Bucket): PolicyStatement {
  return { Sid: "DataMultipartParts", Effect: "Allow", Action: ["s3:ListMultipartUploadParts"], Resource: [pulumi.interpolate`${data.arn}/*`] };
}

export const lakefs: ToolComponentModule = {
  create: (name, context) => new Lakefs(name, context, toolComponentOptions(context)),
};
