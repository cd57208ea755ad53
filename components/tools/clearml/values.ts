import { resourcesWithDefaults } from "../shared/params";
import type { ClearmlParams } from "./params";

export const NAMESPACE = "clearml";
/** The chart names its Services `<release>-apiserver|webserver|fileserver` (`clearml.fullname` keeps a release name containing "clearml"). */
export const RELEASE = "clearml";
export const API = { service: "clearml-apiserver", port: 8008 };
/** The web app's nginx: it also proxies /api to the API server and /files to the file server. */
export const WEB = { service: "clearml-webserver", port: 8080 };
export const FILES = { service: "clearml-fileserver", port: 8081 };
/**
 * The laptop's end of the port-forward to the web app: not 8080, which ZenML and Airflow forward
 * to in the same stack (platinfra would move one, and this tool's URL outputs would not follow).
 */
export const LOCAL_PORT = 8090;
/**
 * The service account of the API server AND its async-delete worker (both templates use
 * `<apiserver.serviceAccountName>-apiserver`); the chart creates it, platinfra annotates it.
 */
export const SERVER_SERVICE_ACCOUNT = "clearml-apiserver";
/** For users' pods running ClearML's SDK against the bucket (platinfra creates it with its IRSA role). */
export const CLIENT_SERVICE_ACCOUNT = "clearml-client";
/** The chart's `clearml.existingSecret` keys (all 7: the file server reads fileserver_* too), plus the session secret. */
export const KEYS_SECRET = "clearml-server-keys";
export const KEYS = {
  apiserverKey: "apiserver_key",
  apiserverSecret: "apiserver_secret",
  fileserverKey: "fileserver_key",
  fileserverSecret: "fileserver_secret",
  tokenSecret: "secure_auth_token_secret",
  testUserKey: "test_user_key",
  testUserSecret: "test_user_secret",
  sessionSecret: "session_secret",
} as const;
/** The fixed users' passwords, one key per user name. */
export const USERS_SECRET = "clearml-users";
/** `apiserver.conf` with the fixed users, mounted by the chart at /opt/clearml/config (`existingAdditionalConfigsSecret`). */
export const SERVER_CONFIG_SECRET = "clearml-apiserver-config";
/** `clearml.conf` for pods in the namespace (the admin's credentials, S3 through IRSA). */
export const CLIENT_CONFIG_SECRET = "clearml-client-config";
/** Where the example Pod mounts that Secret, and the file in it (`CLEARML_CONFIG_FILE`). */
export const CLIENT_CONFIG_DIR = "/etc/clearml";
export const CLIENT_CONFIG_FILE = "clearml.conf";
/** The cookie the chart names the web login's session (`clearml.cookieName`). */
const COOKIE_NAME = "clearml-token-k8s";
/** The platform's default class, gp3 and encrypted (named, so it stays so if the default changes). */
export const STORAGE_CLASS = "gp3-encrypted";
/** Where artifacts and models go in the bucket (`sdk.development.default_output_uri`). */
export const OUTPUT_PREFIX = "clearml";
/**
 * Stand-ins for the chart's own key values. The chart renders its Secret `clearml-conf` from
 * them even when `existingSecret` names another (clearml-secrets.yaml has no condition) and
 * nothing reads it then; left empty it would fill them with randAlpha on every render (a diff
 * on each up), left out it holds the public defaults of values.yaml.
 */
const UNUSED = "unused-see-clearml-server-keys";
/**
 * Sizes of ClearML's stores: MongoDB and Dragonfly have no requests in the charts' defaults.
 * Dragonfly runs one I/O thread per CPU it may use (its CPU limit, else the node's) and exits
 * unless its memory allows 256 MiB per thread: the CPU limit keeps it at 2 threads within 1 GiB on
 * any node size Karpenter picks.
 */
export const DEFAULT_RESOURCES = {
  apiserver: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "1Gi" } },
  mongodb: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "2Gi" } },
  dragonfly: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "1Gi" } },
};

/** The URLs clients use: the API, the web app, the file server. */
export interface ClearmlUrls {
  api: string;
  web: string;
  files: string;
}

/** A container env var read from a key of a Secret. */
export function secretEnv(name: string, secret: string, key: string) {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * The system credential the file server uses to validate tokens with the API server
 * (`secure.credentials.fileserver`): both sides default to the same published constant in their
 * secure.conf, and the chart's `fileserverKey/Secret` reach only USER_KEY/USER_SECRET, which the
 * image uses for the web server alone. Set on both, from the generated keys.
 */
export function fileserverCredentialEnv() {
  return [
    secretEnv("CLEARML__SECURE__CREDENTIALS__FILESERVER__USER_KEY", KEYS_SECRET, KEYS.fileserverKey),
    secretEnv("CLEARML__SECURE__CREDENTIALS__FILESERVER__USER_SECRET", KEYS_SECRET, KEYS.fileserverSecret),
  ];
}

/**
 * The server's default S3 settings (`services.storage_credentials`): no static keys, boto3's
 * default chain (the IRSA web identity). The async-delete worker uses them to delete the objects of
 * deleted tasks and models.
 */
function storageCredentialsEnv(region: string) {
  return [
    { name: "CLEARML__SERVICES__STORAGE_CREDENTIALS__AWS__S3__USE_CREDENTIALS_CHAIN", value: "true" },
    { name: "CLEARML__SERVICES__STORAGE_CREDENTIALS__AWS__S3__REGION", value: region },
  ];
}

/** The web app's `configuration.json`: the API and files through its own nginx, so one host (or one port-forward) serves all three. */
export const WEB_APP_CONFIGURATION = JSON.stringify({ apiBaseUrl: "/api", fileBaseUrl: "/files" });

/**
 * The chart's values: every key exists in the chart's defaults or its subcharts' (checked in the
 * tests). No secret in them: keys and passwords come from platinfra's Secrets by name.
 */
export function clearmlValues(args: { params: ClearmlParams; region: string; roleArn: string; urls: ClearmlUrls }): Record<string, unknown> {
  const { params, region, urls } = args;
  const clusterIp = { type: "ClusterIP" };
  return {
    clearml: {
      existingSecret: KEYS_SECRET,
      apiserverKey: UNUSED,
      apiserverSecret: UNUSED,
      fileserverKey: UNUSED,
      fileserverSecret: UNUSED,
      secureAuthTokenSecret: UNUSED,
      testUserKey: UNUSED,
      testUserSecret: UNUSED,
      // Only in the API server pod's readiness probe header (in clear): the server never checks it.
      readinessprobeKey: UNUSED,
      readinessprobeSecret: UNUSED,
      // Shown in the UI's "create credentials" snippet; the files URL also selects which stored URLs the async-delete worker deletes from the file server.
      clientConfigurationApiUrl: urls.api,
      clientConfigurationFilesUrl: urls.files,
    },
    apiserver: {
      prepopulateEnabled: false,
      service: clusterIp,
      serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": args.roleArn },
      existingAdditionalConfigsSecret: SERVER_CONFIG_SECRET,
      extraEnvs: [secretEnv("CLEARML__SECURE__HTTP__SESSION_SECRET__APISERVER", KEYS_SECRET, KEYS.sessionSecret), ...fileserverCredentialEnv(), ...storageCredentialsEnv(region)],
      asyncdelete: { extraEnvs: storageCredentialsEnv(region) },
      resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES.apiserver),
    },
    fileserver: {
      service: clusterIp,
      // The UI's session cookie: the chart adds it to the file server's cookie names only with a cookie domain.
      extraEnvs: [...fileserverCredentialEnv(), { name: "CLEARML__FILESERVER__AUTH__COOKIE_NAMES", value: JSON.stringify([COOKIE_NAME]) }],
      storage: { data: { class: STORAGE_CLASS, size: `${params.storage.files_gb}Gi` } },
    },
    webserver: {
      service: clusterIp,
      additionalConfigs: { "configuration.json": WEB_APP_CONFIGURATION },
    },
    mongodb: {
      persistence: { storageClass: STORAGE_CLASS, size: `${params.storage.mongodb_gb}Gi` },
      resources: DEFAULT_RESOURCES.mongodb,
    },
    elasticsearch: {
      // `_helpers.tpl` writes it into the API server's hosts string; the defaults leave it empty (`"scheme":""`).
      httpScheme: "http",
      volumeClaimTemplate: { storageClassName: STORAGE_CLASS, resources: { requests: { storage: `${params.storage.elasticsearch_gb}Gi` } } },
      // A privileged root init container setting vm.max_map_count: the EKS AL2023 nodes already have 524288 (≥ 262144, ES's bootstrap check).
      sysctlInitContainer: { enabled: false },
    },
    dragonfly: {
      storage: { storageClassName: STORAGE_CLASS },
      resources: DEFAULT_RESOURCES.dragonfly,
    },
  };
}
