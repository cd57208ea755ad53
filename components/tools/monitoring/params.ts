import * as z from "zod";
import { exposeSchema, resourcesSchema } from "../shared/params";

/**
 * Params of the monitoring block: `prometheus` (Prometheus, Alertmanager, the exporters) and
 * `grafana` (the UI). Both tools are one kube-prometheus-stack release: each entry only carries
 * the settings of its part. Kept free of Pulumi: the catalog loads them for `validate`.
 */

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
/** Prometheus' duration form for `retention` (prometheus-operator's Duration pattern, one unit). */
const RETENTION = /^\d+(y|w|d|h|m|s)$/;
const RECEIVER_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const SLACK_CHANNEL = /^[#@]?[a-z0-9][a-z0-9._-]{0,79}$/;

const storageSchema = (what: string, fallback: number, max: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`${what}, GiB, on the cluster's encrypted gp3 class. Default: ${fallback}.`);

const receiverSchema = z
  .strictObject({
    name: z.string().regex(RECEIVER_NAME, { error: (issue) => `receiver name ${JSON.stringify(issue.input)} is not allowed — use 1–40 lowercase letters, digits or "-", starting with a letter` }),
    type: z.enum(["slack", "webhook"], { error: (issue) => `receiver type ${JSON.stringify(issue.input)} is not supported — use slack or webhook` }),
    url_secret_arn: z
      .string()
      .regex(SECRET_ARN, { error: (issue) => `url_secret_arn "${issue.input}" is not a Secrets Manager secret ARN — expected arn:aws:secretsmanager:<region>:<account>:secret:<name>` })
      .describe("The Secrets Manager secret holding the Slack incoming-webhook URL or the webhook URL (never written in the spec)."),
    url_secret_key: z.string().min(1).optional().describe("The JSON key inside that secret, when the secret is a JSON object. @default the whole secret string"),
    channel: z.string().regex(SLACK_CHANNEL, { error: (issue) => `channel ${JSON.stringify(issue.input)} is not a Slack channel — expected e.g. "#alerts"` }).optional().describe("Slack only: the channel (the webhook's own channel when absent)."),
    severities: z
      .array(z.enum(["critical", "warning", "info"], { error: (issue) => `severity ${JSON.stringify(issue.input)} is not one of critical, warning, info` }))
      .min(1)
      .default(["critical", "warning"])
      .describe("The alert severities sent to this receiver. Default: [critical, warning]."),
  })
  .check((context) => {
    if (context.value.type === "webhook" && context.value.channel) {
      context.issues.push({ code: "custom", input: context.value.channel, path: ["channel"], message: "channel is a Slack setting — a webhook receiver takes only its URL; remove channel" });
    }
  });

export const prometheusParams = z
  .strictObject({
    retention: z
      .string()
      .regex(RETENTION, { error: (issue) => `retention ${JSON.stringify(issue.input)} is not a duration — expected e.g. "10d", "12h" or "4w"` })
      .default("10d")
      .describe('How long Prometheus keeps samples. Default: "10d" (and never more than 90% of the volume).'),
    storage_gb: storageSchema("Prometheus' volume", 50, 16384),
    alertmanager_storage_gb: storageSchema("Alertmanager's volume (silences, notification log)", 2, 100),
    resources: resourcesSchema.optional(),
    receivers: z
      .array(receiverSchema)
      .default([])
      .check((context) => {
        const names = context.value.map((receiver) => receiver.name);
        names.forEach((name, index) => {
          if (names.indexOf(name) !== index) context.issues.push({ code: "custom", input: name, path: [index, "name"], message: `receiver name "${name}" is used twice — give each receiver its own name` });
        });
      })
      .describe("Where Alertmanager sends alerts: Slack or webhook receivers whose URLs are read from Secrets Manager. Default: none (alerts show in Alertmanager and Grafana only)."),
  })
  .describe("Prometheus and Alertmanager (kube-prometheus-stack): one release with Grafana, whichever of the two the stack lists.");

export const grafanaParams = z
  .strictObject({
    admin_user: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]{2,31}$/, { error: (issue) => `admin_user "${issue.input}" is not allowed — use 3–32 lowercase letters, digits, ".", "_" or "-", starting with a letter` })
      .default("admin")
      .describe("Grafana's admin user (its password is generated). Default: admin."),
    storage_gb: storageSchema("Grafana's volume (its SQLite database: users, dashboards saved in the UI)", 10, 1024),
    expose: exposeSchema.optional(),
  })
  .describe("Grafana (inside the kube-prometheus-stack release, with Prometheus and Alertmanager as data sources).");

export type PrometheusParams = z.output<typeof prometheusParams>;
export type GrafanaParams = z.output<typeof grafanaParams>;
export type Receiver = PrometheusParams["receivers"][number];
