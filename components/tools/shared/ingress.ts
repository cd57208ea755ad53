import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { awsName, NAME_LIMITS } from "../../base/naming";
import type { ToolContext } from "./context";
import type { ToolNamespace } from "./namespace";
import type { Expose } from "./params";
import type { ToolScope } from "./scope";

/** What a tool exposes: its Service and port, the spec's host and certificate, the health check path. */
interface IngressOptions {
  namespace: ToolNamespace;
  serviceName: pulumi.Input<string>;
  port: number;
  expose: Expose;
  healthCheckPath?: string;
  /** More ALB annotations for this tool's rules (e.g. sign-in, see serving-auth.ts); they cannot replace the ones set here. @default none */
  annotations?: Record<string, string>;
  /** Paths (exact) the ALB answers with 403 itself, never forwarding them: a tool's unauthenticated internal endpoints. @default none */
  blockedPaths?: string[];
  dependsOn?: pulumi.Resource[];
}

/** The ALB action (an Ingress backend named by annotation) answering blocked paths. */
const BLOCKED_ACTION = "blocked";

/** An exposed service: its Ingress, the ALB's DNS name, and the Route 53 record when the spec names a zone. */
export interface ExposedService {
  ingress: k8s.networking.v1.Ingress;
  /** The ALB's DNS name, as the controller writes it into the Ingress status. */
  loadBalancerHostname: pulumi.Output<string>;
  record?: aws.route53.Record;
}

/**
 * The IngressGroup of a stack: every exposed tool of the stack shares one ALB (one hourly charge,
 * one DNS target), each with its own host rule and certificate. The controller wants lowercase
 * letters, digits, "-" and ".", at most 63 characters.
 */
export function loadBalancerGroup(context: ToolContext): string {
  return awsName([context.platform.namePrefix], NAME_LIMITS.ingressGroup);
}

/**
 * An HTTPS-only internet-facing ALB for a service (AWS Load Balancer Controller): one 443 listener
 * with the given ACM certificate and a modern TLS policy, no plain HTTP listener at all, shared
 * with the stack's other exposed tools; and, when the spec names a hosted zone, an alias record
 * for the host.
 */
export function createIngress(
  scope: ToolScope,
  options: IngressOptions,
): ExposedService {
  const ingress = createIngressResource(scope, options);
  // Pulumi waits for the Ingress until the controller has written the ALB into its status.
  const loadBalancerHostname = ingress.status.apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname ?? "");
  const dns = scope.context.platform.deployment.dns;
  const record = dns ? createAliasRecord(scope, { zoneId: dns.hostedZoneId, host: options.expose.host, target: loadBalancerHostname }) : undefined;
  return { ingress, loadBalancerHostname, ...(record ? { record } : {}) };
}

/**
 * `host` → the ALB, as a Route 53 alias (no charge per query, follows the ALB's addresses). The
 * alias needs the zone AWS keeps for ALBs in the region (getHostedZoneId: a fixed value per
 * region), so nothing waits on looking the ALB up by its tags.
 */
function createAliasRecord(scope: ToolScope, args: { zoneId: string; host: string; target: pulumi.Output<string> }): aws.route53.Record {
  const albZone = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "application" }, { parent: scope.parent });
  return new aws.route53.Record(
    `${scope.name}-dns`,
    { zoneId: args.zoneId, name: args.host, type: "A", aliases: [{ name: args.target, zoneId: albZone.id, evaluateTargetHealth: true }] },
    { parent: scope.parent },
  );
}

function createIngressResource(
  scope: ToolScope,
  options: IngressOptions,
): k8s.networking.v1.Ingress {
  return new k8s.networking.v1.Ingress(
    `${scope.name}-ingress`,
    {
      metadata: {
        name: scope.name,
        namespace: options.namespace.name,
        annotations: {
          ...options.annotations,
          "alb.ingress.kubernetes.io/group.name": loadBalancerGroup(scope.context),
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/target-type": "ip",
          "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
          "alb.ingress.kubernetes.io/certificate-arn": options.expose.certificate_arn,
          "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "alb.ingress.kubernetes.io/healthcheck-path": options.healthCheckPath ?? "/",
          ...(options.blockedPaths?.length
            ? { [`alb.ingress.kubernetes.io/actions.${BLOCKED_ACTION}`]: JSON.stringify({ type: "fixed-response", fixedResponseConfig: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" } }) }
            : {}),
        },
      },
      spec: {
        ingressClassName: "alb",
        rules: [
          {
            host: options.expose.host,
            // Rules keep this order on the ALB: the exact blocked paths before the catch-all.
            http: {
              paths: [
                ...(options.blockedPaths ?? []).map((path) => ({ path, pathType: "Exact", backend: { service: { name: BLOCKED_ACTION, port: { name: "use-annotation" } } } })),
                { path: "/", pathType: "Prefix", backend: { service: { name: options.serviceName, port: { number: options.port } } } },
              ],
            },
          },
        ],
      },
    },
    { parent: scope.parent, dependsOn: [options.namespace.resource, ...(options.dependsOn ?? [])] },
  );
}
