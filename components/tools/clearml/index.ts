import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import { helmRelease } from "../../base/helm";
import type { PolicyStatement } from "../../base/policies";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createGeneratedSecret, type GeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, PodEnv, ToolComponent, ToolComponentModule } from "../shared/types";
import { LICENCE } from "./checks";
import { clientConfig, serverConfig } from "./config";
import { exampleManifest, passwordCommand } from "./commands";
import { clearmlParams, type ClearmlParams } from "./params";
import {
  API,
  CLIENT_CONFIG_FILE,
  CLIENT_CONFIG_SECRET,
  CLIENT_SERVICE_ACCOUNT,
  FILES,
  KEYS,
  KEYS_SECRET,
  LOCAL_PORT,
  NAMESPACE,
  OUTPUT_PREFIX,
  RELEASE,
  SERVER_CONFIG_SECRET,
  SERVER_SERVICE_ACCOUNT,
  USERS_SECRET,
  WEB,
  clearmlValues,
  type ClearmlUrls,
} from "./values";

/** Pods reach the API server directly; the web app and file server from outside through the web app's nginx. */
const IN_CLUSTER: ClearmlUrls = { api: serviceUrl(API.service, NAMESPACE, API.port), web: serviceUrl(WEB.service, NAMESPACE, WEB.port), files: serviceUrl(FILES.service, NAMESPACE, FILES.port) };

/** The URLs through one host: the web app at its root, the API and files under /api and /files (its nginx strips them). */
function throughWebApp(base: string): ClearmlUrls {
  return { api: `${base}/api`, web: base, files: `${base}/files` };
}

/**
 * ClearML server (experiment tracking, artifacts): API server, web app, file server and the
 * async-delete worker, with MongoDB, Elasticsearch and Dragonfly on encrypted gp3 volumes. Only
 * fixed users with generated passwords log in; every key the chart would leave at a published
 * default is generated. Models and artifacts go to the tool's bucket (SDK through IRSA), debug
 * samples to the file server. Exposed, it is one host on the shared ALB: ClearML's own login.
 */
export class Clearml extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly podEnv: PodEnv;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Clearml", name, {}, opts);
    const params = clearmlParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const { region } = context.platform;
    const externalUrl = params.expose ? `https://${params.expose.host}` : undefined;
    // What clients store in ClearML (files URLs are stored as uploaded): the exposed host, else the Services.
    const urls = externalUrl ? throughWebApp(externalUrl) : IN_CLUSTER;

    const namespace = createNamespace(scope, NAMESPACE);
    const artifacts = createToolBucket(scope, "artifacts");
    const serverRole = this.createServerRole(scope, namespace, artifacts);
    createToolRole(scope, { role: "client", namespace, serviceAccount: CLIENT_SERVICE_ACCOUNT, statements: bucketStatements([artifacts.arn], "readwrite", "Artifacts") });
    const keys = this.createKeys(scope, namespace);
    const users = this.createUsers(scope, namespace, params);
    const outputUri = pulumi.interpolate`s3://${artifacts.name}/${OUTPUT_PREFIX}`;
    const admin = { username: params.admin_username, password: users.values[params.admin_username] };
    const podUrls = { ...IN_CLUSTER, ...(externalUrl ? { web: urls.web, files: urls.files } : {}) };
    this.createClientConfig(scope, namespace, { urls: podUrls, admin, region, outputUri });
    const release = helmRelease(
      name,
      { chart: CHARTS.clearml, releaseName: RELEASE, namespace: NAMESPACE, values: serverRole.roleArn.apply((roleArn) => clearmlValues({ params, region, roleArn, urls })), timeout: 900 },
      { parent: this, dependsOn: [namespace.resource, serverRole, keys.secret, users.secret, users.config] },
    );
    const exposed = params.expose ? createIngress(scope, { namespace, serviceName: WEB.service, port: WEB.port, expose: params.expose, healthCheckPath: "/", dependsOn: [release] }) : undefined;

    const laptop = externalUrl ? urls : throughWebApp(localUrl(LOCAL_PORT));
    this.dataBuckets = [{ name: artifacts.name, arn: artifacts.arn }];
    this.outputs = pulumi.output({
      webUrl: laptop.web,
      apiUrl: laptop.api,
      filesUrl: laptop.files,
      ...(externalUrl ? {} : { portForward: `kubectl -n ${NAMESPACE} port-forward svc/${WEB.service} ${LOCAL_PORT}:${WEB.port}` }),
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      inClusterApiUrl: IN_CLUSTER.api,
      inClusterWebUrl: IN_CLUSTER.web,
      inClusterFilesUrl: IN_CLUSTER.files,
      adminUsername: params.admin_username,
      users: [params.admin_username, ...params.users],
      passwordCommand: passwordCommand(params.admin_username),
      artifactBucket: artifacts.name,
      defaultOutputUri: outputUri,
      clientServiceAccount: CLIENT_SERVICE_ACCOUNT,
      clientConfigSecret: CLIENT_CONFIG_SECRET,
      clearmlConf: outputUri.apply((uri) => clientConfig({ urls: laptop, region, outputUri: uri })),
      exampleManifest: exampleManifest(),
      roles: context.instance.roles.join(", "),
      licence: LICENCE,
    });
    this.env = stringMap({ CLEARML_API_HOST: laptop.api, CLEARML_WEB_HOST: laptop.web, CLEARML_FILES_HOST: laptop.files, CLEARML_API_ACCESS_KEY: admin.username });
    this.secretEnv = pulumi.secret(stringMap({ CLEARML_API_SECRET_KEY: admin.password }));
    // Other tools' pods: the API through its Service, files where the web UI can show them.
    this.podEnv = {
      plain: stringMap({ CLEARML_API_HOST: podUrls.api, CLEARML_WEB_HOST: podUrls.web, CLEARML_FILES_HOST: podUrls.files, CLEARML_API_ACCESS_KEY: admin.username }),
      secrets: { CLEARML_API_SECRET_KEY: admin.password },
    };
    if (!externalUrl) {
      const local = throughWebApp(localUrl(LOCAL_PORT));
      this.localAccess = { namespace: NAMESPACE, service: WEB.service, ports: [{ local: LOCAL_PORT, remote: WEB.port }], env: { CLEARML_API_HOST: local.api, CLEARML_WEB_HOST: local.web, CLEARML_FILES_HOST: local.files } };
    }
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * The API server's service account, shared by its async-delete worker: the only server process
   * touching S3, deleting the objects of deleted tasks and models. Clients upload and download
   * themselves (the server never proxies data). The chart creates the account; the role ARN goes
   * into its annotations.
   */
  private createServerRole(scope: ToolScope, namespace: ToolNamespace, artifacts: Bucket): ServiceAccountRole {
    const statements: PolicyStatement[] = [
      { Sid: "ArtifactsList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [artifacts.arn] },
      { Sid: "ArtifactsDelete", Effect: "Allow", Action: ["s3:DeleteObject"], Resource: [pulumi.interpolate`${artifacts.arn}/*`] },
    ];
    return createToolRole(scope, { namespace, serviceAccount: SERVER_SERVICE_ACCOUNT, statements, createServiceAccount: false });
  }

  /**
   * Every key the chart and the server would otherwise take from published defaults: the system
   * credentials (API server, file server), the token signing key, the session secret, and the
   * test user's credentials (revoked with fixed users, still never the public ones).
   */
  private createKeys(scope: ToolScope, namespace: ToolNamespace): GeneratedSecret {
    const generated = {
      [KEYS.apiserverKey]: 30,
      [KEYS.apiserverSecret]: 64,
      [KEYS.fileserverKey]: 30,
      [KEYS.fileserverSecret]: 64,
      [KEYS.tokenSecret]: 64,
      [KEYS.testUserKey]: 30,
      [KEYS.testUserSecret]: 64,
      [KEYS.sessionSecret]: 64,
    };
    return createGeneratedSecret(scope, { namespace, purpose: "server-keys", secretName: KEYS_SECRET, generated });
  }

  /** The fixed users' generated passwords, and the API server's config listing them (a Secret, never Helm values). */
  private createUsers(scope: ToolScope, namespace: ToolNamespace, params: ClearmlParams) {
    const names = [params.admin_username, ...params.users];
    const passwords = createGeneratedSecret(scope, { namespace, purpose: "users", secretName: USERS_SECRET, generated: Object.fromEntries(names.map((user) => [user, 32])) });
    const text = pulumi.all(names.map((user) => passwords.values[user])).apply((values) => serverConfig(names.map((username, index) => ({ username, password: values[index] }))));
    const config = new k8s.core.v1.Secret(
      `${scope.name}-server-config`,
      { metadata: { name: SERVER_CONFIG_SECRET, namespace: namespace.name }, stringData: { "apiserver.conf": pulumi.secret(text) } },
      { parent: this, dependsOn: [namespace.resource] },
    );
    return { secret: passwords.secret, values: passwords.values, config };
  }

  /** `clearml.conf` for pods of the namespace running as the client service account (see the example manifest). */
  private createClientConfig(scope: ToolScope, namespace: ToolNamespace, args: { urls: ClearmlUrls; admin: { username: string; password: pulumi.Output<string> }; region: string; outputUri: pulumi.Output<string> }) {
    const text = pulumi
      .all([args.admin.password, args.outputUri])
      .apply(([password, outputUri]) => clientConfig({ urls: args.urls, credentials: { accessKey: args.admin.username, secretKey: password }, region: args.region, outputUri }));
    return new k8s.core.v1.Secret(
      `${scope.name}-client-config`,
      { metadata: { name: CLIENT_CONFIG_SECRET, namespace: namespace.name }, stringData: { [CLIENT_CONFIG_FILE]: pulumi.secret(text) } },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }
}

export const clearml: ToolComponentModule = {
  create: (name, context) => new Clearml(name, context, toolComponentOptions(context)),
};
