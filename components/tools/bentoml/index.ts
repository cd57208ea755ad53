import * as aws from "@pulumi/aws";
import { createImageRepository } from "../../base/image-repository";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExitCode, PlatinfraError } from "../../../src/errors";
import type { Bucket } from "../../base/bucket";
import { awsName, NAME_LIMITS } from "../../base/naming";
import { assertNoWildcardAdmin, policyDocument, type PolicyStatement, type ResolvedPolicyStatement } from "../../base/policies";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { serviceUrl } from "../shared/outputs";
import { placement } from "../shared/placement";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import { bentomlParams, type BentomlParams } from "./params";
import { resourcesWithDefaults } from "../shared/params";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";

const NAMESPACE = "bentoml";
const SERVICE_ACCOUNT = "bentoml";
const APP = "bentoml";
/** Pushes beyond this many images expire the oldest: bentos are immutable, so old ones pile up. */
const KEEP_IMAGES = 200;
const DEFAULT_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } };
/** Every ECR action pushing and pulling needs, on the repository itself. */
const ECR_PUSH_PULL = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
  "ecr:DescribeImages",
  "ecr:DescribeRepositories",
  "ecr:ListImages",
];

/** The serving settings, when bentoml is listed under model_serving. */
type Serving = BentomlParams & { image: string };

/**
 * BentoML as model registry (always): an ECR repository for containerized bentos (immutable tags,
 * scanned on push) and a bucket for exported bentos, with a managed policy that CI and people attach
 * to push. As model serving (listed under model_serving): the bento image as a Deployment, Service
 * and CPU autoscaler, in-cluster only — BentoML services have no authentication of their own, so
 * platinfra does not offer to put one on the internet.
 */
export class Bentoml extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    const serving = servingSettings(context);
    super("platinfra:tools:Bentoml", name, {}, opts);
    const scope: ToolScope = { name, context, parent: this };

    const repository = this.createRepository(scope);
    const bentos = createToolBucket(scope, "bentos");
    const pushPolicy = this.createPushPolicy(scope, repository, bentos);
    const endpoint = serving ? this.createServing(scope, serving, bentos) : undefined;

    this.dataBuckets = [{ name: bentos.name, arn: bentos.arn }];
    this.outputs = pulumi.all({
      repositoryUrl: repository.repositoryUrl,
      bentoBucket: bentos.name,
      pushPolicyArn: pushPolicy.arn,
      roles: context.instance.roles.join(", "),
      ...(endpoint ? { endpoint } : {}),
    });
    this.env = pulumi.all({ BENTOML_REGISTRY: repository.repositoryUrl });
    // The served bento on BentoML's usual local port; no client setting names it.
    if (serving) this.localAccess = { namespace: NAMESPACE, service: APP, ports: [{ local: 3000, remote: serving.port }], env: {} };
    this.registerOutputs({ outputs: this.outputs });
  }

  /** Immutable tags: a bento version always names the same image; emptied on destroy only when the spec says so. */
  private createRepository(scope: ToolScope): aws.ecr.Repository {
    const { platform } = scope.context;
    const repositoryName = awsName([platform.namePrefix, scope.name], NAME_LIMITS.ecrRepository);
    return createImageRepository(
      `${scope.name}-repository`,
      { repositoryName, forceDelete: platform.deployment.forceDestroyBuckets, keepImages: KEEP_IMAGES },
      { parent: this },
    );
  }

  /**
   * A managed policy rather than a role: CI and people already have identities and attach it. It
   * names this repository and this bucket; only ecr:GetAuthorizationToken is on "*", the one
   * resource that action supports.
   */
  private createPushPolicy(scope: ToolScope, repository: aws.ecr.Repository, bentos: Bucket): aws.iam.Policy {
    const statements: PolicyStatement[] = [
      { Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      { Sid: "EcrPushPull", Effect: "Allow", Action: ECR_PUSH_PULL, Resource: [repository.arn] },
      ...bucketStatements([bentos.arn], "readwrite", "Bentos"),
    ];
    return new aws.iam.Policy(
      `${scope.name}-push-policy`,
      {
        name: awsName([scope.context.platform.namePrefix, `${scope.name}-push`], NAME_LIMITS.iamPolicy),
        description: "Push and pull bentos: the BentoML ECR repository and bento bucket of this stack",
        policy: pulumi.output(statements).apply((resolved: ResolvedPolicyStatement[]) => {
          assertNoWildcardAdmin(resolved);
          return JSON.stringify(policyDocument(resolved));
        }),
      },
      { parent: this },
    );
  }

  /** The bento as a Deployment with its Service and autoscaler; returns the in-cluster endpoint. */
  private createServing(scope: ToolScope, serving: Serving, bentos: Bucket): string {
    const namespace = createNamespace(scope, NAMESPACE);
    const role = createToolRole(scope, { namespace, serviceAccount: SERVICE_ACCOUNT, statements: bucketStatements([bentos.arn], "read", "Bentos") });
    const deployment = new k8s.apps.v1.Deployment(
      `${scope.name}-deployment`,
      { metadata: { name: APP, namespace: NAMESPACE, labels: { app: APP } }, spec: deploymentSpec(scope.context, serving) },
      { parent: this, dependsOn: [namespace.resource, role] },
    );
    this.createService(scope, namespace, serving.port);
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${scope.name}-hpa`,
      {
        metadata: { name: APP, namespace: NAMESPACE },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: APP },
          minReplicas: serving.replicas.min,
          maxReplicas: serving.replicas.max,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
        },
      },
      { parent: this, dependsOn: [deployment] },
    );
    return serviceUrl(APP, NAMESPACE, serving.port);
  }

  private createService(scope: ToolScope, namespace: ToolNamespace, port: number): k8s.core.v1.Service {
    return new k8s.core.v1.Service(
      `${scope.name}-service`,
      {
        metadata: { name: APP, namespace: NAMESPACE, labels: { app: APP } },
        spec: { type: "ClusterIP", selector: { app: APP }, ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }] },
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }
}

/**
 * Serving settings when listed under model_serving, else none. `image` is required only then,
 * which the params schema cannot know: refused here, before anything is created.
 */
function servingSettings(context: ToolContext): Serving | undefined {
  const params = bentomlParams.parse(context.instance.params);
  if (!context.instance.roles.includes("model_serving")) return undefined;
  if (!params.image) {
    throw new PlatinfraError(
      "TOOL_PARAMS",
      "stack.model_serving: bentoml needs params.image — the bento's container image to serve, e.g. <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>",
      {
        exitCode: ExitCode.invalidInput,
        hints: ["Build it with `bentoml containerize`, push it to the bentoml ECR repository (output repositoryUrl), then set `image:` under bentoml's params."],
      },
    );
  }
  return { ...params, image: params.image };
}

/**
 * The pod: replicas left to the autoscaler (a fixed count here would fight it on every update);
 * readiness on /readyz, liveness on /livez (BentoML's endpoints), with a startup allowance for
 * model loading; one GPU on the GPU nodes when asked and the stack has them.
 */
function deploymentSpec(context: ToolContext, serving: Serving): k8s.types.input.apps.v1.DeploymentSpec {
  const resources = resourcesWithDefaults(serving.resources, DEFAULT_RESOURCES);
  const gpuPlacement = placement(context, serving.gpu);
  const withGpu = Boolean(gpuPlacement.nodeSelector);
  const probe = (path: string) => ({ httpGet: { path, port: "http" }, periodSeconds: 10 });
  return {
    selector: { matchLabels: { app: APP } },
    template: {
      metadata: { labels: { app: APP } },
      spec: {
        serviceAccountName: SERVICE_ACCOUNT,
        ...gpuPlacement,
        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "bento",
            image: serving.image,
            ports: [{ name: "http", containerPort: serving.port }],
            // `bentoml serve` reads its port from BENTOML_PORT.
            env: [{ name: "BENTOML_PORT", value: String(serving.port) }],
            startupProbe: { ...probe("/livez"), failureThreshold: 60 },
            readinessProbe: probe("/readyz"),
            livenessProbe: { ...probe("/livez"), failureThreshold: 3 },
            resources: withGpu ? { requests: resources.requests, limits: { ...resources.limits, "nvidia.com/gpu": "1" } } : resources,
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
        ],
      },
    },
  };
}


export const bentoml: ToolComponentModule = {
  links: [],
  create: (name, context) => new Bentoml(name, context, toolComponentOptions(context)),
};
