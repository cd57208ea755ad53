import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { secretReadStatement } from "../shared/database";
import type { ToolNamespace } from "../shared/namespace";
import { createToolRole } from "../shared/role";
import type { ToolScope } from "../shared/scope";
import { createSecretStore, secretStoreName } from "../shared/secret-store";
import type { Receiver } from "./params";
import { ALERTMANAGER_CONFIG_SECRET, RECEIVER_SECRET, RECEIVER_SECRET_PATH } from "./values";

/** The receiver that drops alerts: the default route, and where the always-firing Watchdog goes. */
const NULL_RECEIVER = "null";
/** How often External Secrets re-reads the receivers' URLs: the longest a rotated URL goes unseen. */
const URL_REFRESH = "1h";
/** The service account the SecretStore authenticates as (IRSA): no pod runs as it. */
export const SECRETS_SERVICE_ACCOUNT = "alertmanager-secrets";

/**
 * The Alertmanager configuration: every alert goes to each receiver whose severities match it
 * (`continue`: one alert may reach Slack and a webhook), Watchdog and InfoInhibitor nowhere; a
 * critical alert mutes the warnings and infos of the same alert and namespace. No URL appears here:
 * receivers read theirs from files of the mounted receivers Secret (Alertmanager v0.34.0:
 * slack `api_url_file`, webhook `url_file`).
 */
export function alertmanagerConfig(receivers: Receiver[]): string {
  const routes = receivers.map((receiver) => ({
    receiver: receiver.name,
    matchers: [`severity =~ "${receiver.severities.join("|")}"`],
    continue: true,
  }));
  return stringify({
    route: {
      receiver: NULL_RECEIVER,
      group_by: ["namespace", "alertname"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "12h",
      routes: [{ receiver: NULL_RECEIVER, matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] }, ...routes],
    },
    inhibit_rules: [
      { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] },
      { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
    ],
    receivers: [{ name: NULL_RECEIVER }, ...receivers.map(receiverConfig)],
  });
}

function receiverConfig(receiver: Receiver): Record<string, unknown> {
  const file = `${RECEIVER_SECRET_PATH}/${receiver.name}`;
  if (receiver.type === "slack") {
    return { name: receiver.name, slack_configs: [{ api_url_file: file, send_resolved: true, ...(receiver.channel ? { channel: receiver.channel } : {}) }] };
  }
  return { name: receiver.name, webhook_configs: [{ url_file: file, send_resolved: true }] };
}

/** platinfra's Alertmanager configuration Secret (no secret in it; a Secret because the operator reads one). */
export function createAlertmanagerConfig(scope: ToolScope, namespace: ToolNamespace, receivers: Receiver[]): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    `${scope.name}-alertmanager-config`,
    { metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace: namespace.name }, stringData: { "alertmanager.yaml": alertmanagerConfig(receivers) } },
    { parent: scope.parent, dependsOn: [namespace.resource] },
  );
}

/**
 * The receivers' URLs, synced from Secrets Manager into the Secret Alertmanager mounts, one key per
 * receiver: they never enter the spec, Pulumi state, Helm values or a manifest. The SecretStore
 * authenticates as a service account whose role may read exactly these secrets.
 */
export function syncReceiverUrls(scope: ToolScope, namespace: ToolNamespace, receivers: Receiver[]): pulumi.Resource[] {
  if (receivers.length === 0) return [];
  const arns = [...new Set(receivers.map((receiver) => receiver.url_secret_arn))];
  const role = createToolRole(scope, {
    role: "alertmanager",
    namespace,
    serviceAccount: SECRETS_SERVICE_ACCOUNT,
    statements: arns.map((arn, index) => secretReadStatement(arn, `ReceiverUrl${index}`)),
  });
  const store = createSecretStore(scope, { namespace, serviceAccount: SECRETS_SERVICE_ACCOUNT, dependsOn: [role] });
  const externalSecret = new k8s.apiextensions.CustomResource(
    `${scope.name}-alertmanager-receivers`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: RECEIVER_SECRET, namespace: namespace.name },
      spec: {
        refreshInterval: URL_REFRESH,
        secretStoreRef: { name: secretStoreName(scope), kind: "SecretStore" },
        target: { name: RECEIVER_SECRET, creationPolicy: "Owner" },
        data: receivers.map((receiver) => ({
          secretKey: receiver.name,
          remoteRef: { key: receiver.url_secret_arn, ...(receiver.url_secret_key ? { property: receiver.url_secret_key } : {}) },
        })),
      },
    },
    { parent: scope.parent, dependsOn: [store] },
  );
  return [externalSecret];
}
